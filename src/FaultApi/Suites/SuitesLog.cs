using Microsoft.Extensions.Logging;

namespace FaultApi.Suites;

internal static partial class SuitesLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Suite {SuiteId} ({Name}) started: {Drills} drills on {Nodes} nodes, {Concurrency} at once")]
    public static partial void Started(ILogger logger, string suiteId, string? name, int drills, int nodes, int concurrency);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Suite {SuiteId}: drill {Index} ({Name}) on {NodeName} {State}: {Reason}")]
    public static partial void DrillEnded(ILogger logger, string suiteId, int index, string name, string nodeName, SuiteState state, string? reason);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Suite {SuiteId} ended {State}: {Reason}")]
    public static partial void Ended(ILogger logger, string suiteId, SuiteState state, string? reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Suite {SuiteId}: running it stopped here ({Why})")]
    public static partial void Released(ILogger logger, string suiteId, string why);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "Suite {SuiteId} taken over by {Identity} (lease of {Holder} expired or released)")]
    public static partial void Resumed(ILogger logger, string suiteId, string identity, string? holder);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Error, Message = "Suite {SuiteId}: running it failed; its lease will expire and a replica resumes it")]
    public static partial void RunFailed(ILogger logger, Exception exception, string suiteId);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Suite {SuiteId}: clearing fault {FaultId} on node {NodeName} failed: {Problem}")]
    public static partial void ClearFailed(ILogger logger, string suiteId, string faultId, string nodeName, string problem);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Warning, Message = "Resuming suites failed; trying again at the next round")]
    public static partial void ResumeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Information, Message = "Deleted {Pruned} finished suite records ({Kept} finished kept)")]
    public static partial void Pruned(ILogger logger, int pruned, int kept);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Information, Message = "Suite {SuiteId}: drill {Index} ({Name}) on {NodeName} could not start yet ({Problem}); stays pending, trying again in {Backoff}")]
    public static partial void StartRetried(ILogger logger, string suiteId, int index, string name, string nodeName, string problem, TimeSpan backoff);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Error, Message = "Suite {SuiteId}: saving its record was refused ({Refusal}); the suite ends: its running drills are cancelled and their faults cleared")]
    public static partial void SaveRefused(ILogger logger, string suiteId, string refusal);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Suite {SuiteId}: its end ({State}) was recorded as the {Version} record")]
    public static partial void EndRecorded(ILogger logger, string suiteId, SuiteState state, string version);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Error, Message = "Suite {SuiteId} ended {State} ({Reason}) but no record of its end could be written ({LastError}); this replica answers for it and tries again every Drills:LeaseDuration")]
    public static partial void EndNotRecorded(ILogger logger, string suiteId, SuiteState state, string? reason, string lastError);

    [LoggerMessage(EventId = 1313, Level = LogLevel.Information, Message = "Suite {SuiteId}: its end, not recorded before, is recorded now ({Version} record)")]
    public static partial void EndRecordedLater(ILogger logger, string suiteId, string version);

    [LoggerMessage(EventId = 1314, Level = LogLevel.Error, Message = "Suite {SuiteId}: cancelling it ({Reason}) failed; the other suites are cancelled all the same")]
    public static partial void CancelFailed(ILogger logger, Exception exception, string suiteId, string reason);

    [LoggerMessage(EventId = 1315, Level = LogLevel.Error, Message = "Listing the running suites to cancel them failed; only those this replica runs are cancelled")]
    public static partial void CancelAllListFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1316, Level = LogLevel.Error, Message = "Suite {SuiteId}: cancelling its drill {DrillId} failed; its other drills are cancelled all the same")]
    public static partial void DrillCancelFailed(ILogger logger, Exception exception, string suiteId, string drillId);

    [LoggerMessage(EventId = 1317, Level = LogLevel.Information, Message = "Suite {SuiteId}: drill {Index} ({DrillId}) started here after the suite was taken over by {Holder}; left running for it")]
    public static partial void LeftToNewHolder(ILogger logger, string suiteId, int index, string drillId, string? holder);
}
