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
}
