using Microsoft.Extensions.Logging;

namespace FaultAgent.Injection;

internal static partial class KernelLogLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "Wrote and verified {Count} kernel log records, sequence {FirstSequence}-{LastSequence}")]
    public static partial void Written(ILogger logger, int count, ulong firstSequence, ulong lastSequence);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Kernel log record did not land: {Text} ({Overruns} reader overruns)")]
    public static partial void RecordLost(ILogger logger, string text, int overruns);
}
