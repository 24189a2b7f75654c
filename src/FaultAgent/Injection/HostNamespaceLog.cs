using Microsoft.Extensions.Logging;

namespace FaultAgent.Injection;

internal static partial class HostNamespaceLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Namespace thread entered the mount namespace of pid {TargetPid} ({NamespacePath})")]
    public static partial void Entered(ILogger logger, int targetPid, string namespacePath);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "Cannot enter the mount namespace of pid {TargetPid}: {Reason}")]
    public static partial void EnterFailed(ILogger logger, int targetPid, string reason);
}
