using Microsoft.Extensions.Logging;

namespace FaultAgent.Injection;

internal static partial class InjectionLog
{
    [LoggerMessage(EventId = 1350, Level = LogLevel.Warning, Message = "The GPU preamble state {Path} could not be kept: {Reason}")]
    public static partial void PreambleNotSaved(ILogger logger, string path, string reason);
}
