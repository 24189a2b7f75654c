using Microsoft.Extensions.Logging;

namespace FaultAgent.EmergencyStop;

internal static partial class EmergencyStopLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "Emergency stop engaged by {ChangedBy} (version {Version}): {Reason}; {Ended} active fault(s) expired")]
    public static partial void Engaged(ILogger logger, string changedBy, long version, string reason, int ended);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Emergency stop released by {ChangedBy} (version {Version})")]
    public static partial void Released(ILogger logger, string changedBy, long version);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Emergency stop state version {Offered} (engaged {OfferedEngaged}) ignored: this node holds version {Current} (engaged {CurrentEngaged})")]
    public static partial void StaleIgnored(ILogger logger, long offered, bool offeredEngaged, long current, bool currentEngaged);

    [LoggerMessage(EventId = 903, Level = LogLevel.Error, Message = "The emergency-stop state file {Path} cannot be read; injections are refused until a state is set")]
    public static partial void Unreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "Emergency stop loaded from {Path}: engaged by {ChangedBy} at {ChangedAt}; injections are refused")]
    public static partial void LoadedEngaged(ILogger logger, string path, string changedBy, DateTimeOffset changedAt);

    [LoggerMessage(EventId = 905, Level = LogLevel.Error, Message = "Expiring the active faults under the emergency stop failed ({Remaining} still active); retrying in {Delay}")]
    public static partial void ExpiryFailed(ILogger logger, int remaining, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 906, Level = LogLevel.Information, Message = "Every active fault is expired under the emergency stop ({Ended} ended by this attempt)")]
    public static partial void ExpiryDone(ILogger logger, int ended);

    [LoggerMessage(EventId = 907, Level = LogLevel.Information, Message = "Emergency stop state confirmed by a push (version {Version}, engaged {Engaged})")]
    public static partial void Confirmed(ILogger logger, long version, bool engaged);

    [LoggerMessage(EventId = 908, Level = LogLevel.Warning, Message = "Emergency stop released (version {Version}) but not confirmed since this start; real injections are refused until an API pushes the cluster's state")]
    public static partial void Unconfirmed(ILogger logger, long version);

    [LoggerMessage(EventId = 909, Level = LogLevel.Error, Message = "Emergency stop release (version {Version}) refused: {Remaining} fault(s) active under the stop could not be ended; it stays engaged and keeps expiring them")]
    public static partial void ReleaseRefused(ILogger logger, long version, int remaining, Exception exception);
}
