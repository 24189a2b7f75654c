using Microsoft.Extensions.Logging;

namespace FaultApi.EmergencyStop;

internal static partial class StopLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Emergency stop engaged by {ChangedBy} (version {Version}): {Reason}")]
    public static partial void Engaged(ILogger logger, string changedBy, long version, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Emergency stop released by {ChangedBy} (version {Version})")]
    public static partial void Released(ILogger logger, string changedBy, long version);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "The agent on {NodeName} did not take the stop state (version {Version}): {Error}; retried by the reconciler")]
    public static partial void PushFailed(ILogger logger, string nodeName, long version, string error);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "The stop state could not be read from the cluster; the last known state stays in force")]
    public static partial void StoreUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "An emergency-stop listener failed")]
    public static partial void ListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "The agent on {NodeName} now holds the stop state version {Version}")]
    public static partial void Pushed(ILogger logger, string nodeName, long version);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Reconciling the stop state failed")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "An agent holds stop version {AgentVersion}, which wins over the version {Version} just written; writing the change again above it")]
    public static partial void AgentAhead(ILogger logger, long agentVersion, long version);

    [LoggerMessage(EventId = 308, Level = LogLevel.Error, Message = "The stored emergency stop is not valid ({Why}); injections are refused until it is engaged or released again")]
    public static partial void StoredInvalid(ILogger logger, string why);

    [LoggerMessage(EventId = 309, Level = LogLevel.Warning, Message = "Replacing the invalid stored emergency stop ({Why})")]
    public static partial void OverwritingInvalid(ILogger logger, string why);

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "The stop state changed under this write (attempt {Attempt}); reading it again")]
    public static partial void WriteConflict(ILogger logger, int attempt);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Wrote the cluster's stop state again as version {Version} (engaged {Engaged}), above agents holding a winning state or over a lost or invalid store")]
    public static partial void Repaired(ILogger logger, long version, bool engaged);

    [LoggerMessage(EventId = 312, Level = LogLevel.Error, Message = "The stop state could not be written again over agents or a lost store; retried at the next pass")]
    public static partial void RepairFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "The agent on {NodeName} holds stop version {Version}, more than a day ahead of this replica's clock; it is ignored")]
    public static partial void AgentVersionOutOfBounds(ILogger logger, string nodeName, long version);
}
