using Microsoft.Extensions.Logging;

namespace FaultApi.BlastRadius;

internal static partial class BlastRadiusLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "The blast-radius ledger changed under this injection (attempt {Attempt}); reading it again")]
    public static partial void LedgerConflict(ILogger logger, int attempt);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "The reservations of the injection on {Nodes} could not be settled or dropped; they settle on their own after the deadline")]
    public static partial void CompleteFailed(ILogger logger, string nodes, Exception exception);
}
