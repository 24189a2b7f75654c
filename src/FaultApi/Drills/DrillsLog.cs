using Microsoft.Extensions.Logging;

namespace FaultApi.Drills;

internal static partial class DrillsLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Drill {DrillId} on node {NodeName}: injected {Kind} {Code}, expecting {Expect}")]
    public static partial void Started(ILogger logger, string drillId, string nodeName, string kind, int code, IList<string> expect);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Drill {DrillId}: step {Step} after {Seconds} s")]
    public static partial void Step(ILogger logger, string drillId, string step, double seconds);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Drill {DrillId} ended {State}: {Reason}")]
    public static partial void Ended(ILogger logger, string drillId, DrillState state, string? reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Drill {DrillId}: following it stopped here ({Why})")]
    public static partial void Released(ILogger logger, string drillId, string why);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Drill {DrillId}: saving its record failed; retrying")]
    public static partial void SaveFailed(ILogger logger, Exception exception, string drillId);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Drill {DrillId}: resumed by {Holder} (lease of {PreviousHolder} expired or released)")]
    public static partial void Resumed(ILogger logger, string drillId, string holder, string? previousHolder);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Looking for drills to resume failed")]
    public static partial void ResumeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Error, Message = "Drill {DrillId}: following it failed")]
    public static partial void FollowFailed(ILogger logger, Exception exception, string drillId);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "Deleted {Count} finished drill records (past Drills:RecordRetention or beyond Drills:MaxRecords); {Kept} kept")]
    public static partial void Pruned(ILogger logger, int count, int kept);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Warning, Message = "Deleting old drill records failed; trying again at the next round")]
    public static partial void PruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Drill {DrillId}: the injection in flight when its replica stopped is confirmed as fault {FaultId} (found again on the agent: {Replayed})")]
    public static partial void InjectionConfirmed(ILogger logger, string drillId, string faultId, bool replayed);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Drill {DrillId}: confirming the injection in flight when its replica stopped failed; retrying")]
    public static partial void ConfirmFailed(ILogger logger, Exception exception, string drillId);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "Drill {DrillId}: the outcome of injection send {Attempt} is unknown (the request may have reached the agent); sending the same injection again")]
    public static partial void ResendingInjection(ILogger logger, Exception exception, string drillId, int attempt);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Error, Message = "Drill {DrillId}: the outcome of its injection (fault {FaultId}) could not be confirmed; the drill is kept, unconfirmed, for a replica to resume")]
    public static partial void InjectionOutcomeUnknown(ILogger logger, Exception exception, string drillId, string faultId);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Error, Message = "Drill {DrillId}: cancelling it ({Reason}) failed; the other drills are cancelled all the same")]
    public static partial void CancelFailed(ILogger logger, Exception exception, string drillId, string reason);

    [LoggerMessage(EventId = 1115, Level = LogLevel.Error, Message = "Listing the running drills to cancel them failed; only those this replica follows are cancelled")]
    public static partial void CancelAllListFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1116, Level = LogLevel.Information, Message = "Drill {DrillId} of suite {SuiteId}: already stored by another start of the same suite entry ({State}); adopted, nothing injected here")]
    public static partial void Adopted(ILogger logger, string drillId, string suiteId, DrillState state);
}
