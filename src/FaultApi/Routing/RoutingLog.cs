using Microsoft.Extensions.Logging;

namespace FaultApi.Routing;

internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Listed {Count} {Kind} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string kind, int count, string? resourceVersion);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "{Kind} watch ended at resourceVersion {ResourceVersion}; resuming")]
    public static partial void WatchEnded(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Kind} watch at resourceVersion {ResourceVersion} answered 410 Gone; re-listing")]
    public static partial void Gone(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Kind} list/watch failed ({Failures} in a row); retrying in {DelayMilliseconds} ms")]
    public static partial void WatchFailed(ILogger logger, Exception exception, string kind, int failures, double delayMilliseconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Routing cache synced: {Agents} agents on {Nodes} nodes")]
    public static partial void Synced(ILogger logger, int agents, int nodes);
}
