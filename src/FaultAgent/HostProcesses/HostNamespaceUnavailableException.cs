using Grpc.Core;

namespace FaultAgent.HostProcesses;

/// <summary>The target process's namespaces cannot be entered (no such process, or not permitted).</summary>
public sealed class HostNamespaceUnavailableException : HostCommandException
{
    public HostNamespaceUnavailableException(int targetPid, string detail, Exception? innerException = null)
        : base($"cannot enter the namespaces of process {targetPid}: {detail}", innerException)
    {
        TargetPid = targetPid;
    }

    public int TargetPid { get; }

    public override StatusCode StatusCode => StatusCode.FailedPrecondition;
}
