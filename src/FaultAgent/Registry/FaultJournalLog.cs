using Microsoft.Extensions.Logging;

namespace FaultAgent.Registry;

internal static partial class FaultJournalLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Fault journal {Path} line {LineNumber} is damaged and was skipped: {Reason}")]
    public static partial void DamagedLine(ILogger logger, string path, int lineNumber, string reason);
}
