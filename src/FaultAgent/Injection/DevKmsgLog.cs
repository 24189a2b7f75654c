using Microsoft.Extensions.Logging;

namespace FaultAgent.Injection;

internal static partial class DevKmsgLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "Wrote and verified {Count} kernel log records, sequence {FirstSequence}-{LastSequence}")]
    public static partial void Written(ILogger logger, int count, ulong firstSequence, ulong lastSequence);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Kernel log record did not land: {Text}")]
    public static partial void RecordLost(ILogger logger, string text);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Kernel log record cannot be proven: the ring overwrote records from sequence {GapAt} before they were read back: {Text}")]
    public static partial void RecordUnprovable(ILogger logger, string text, ulong gapAt);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "Opened {Count} kernel log writers ahead")]
    public static partial void WritersOpenedAhead(ILogger logger, int count);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Debug, Message = "Opening kernel log writers ahead failed (the next write opens its own): {Reason}")]
    public static partial void RefillFailed(ILogger logger, string reason);
}
