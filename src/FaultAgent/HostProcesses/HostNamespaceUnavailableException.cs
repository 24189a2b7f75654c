namespace FaultAgent.HostProcesses;

/// <summary>
/// The target process's namespaces cannot be entered (no such process, no permission, setns failed): by nsenter for a
/// host command (<see cref="NsenterHostCommandRunner"/>) or by the kernel log's namespace thread (<see cref="Injection.HostMountNamespace"/>).
/// </summary>
public sealed class HostNamespaceUnavailableException : HostCommandException
{
    public HostNamespaceUnavailableException(int targetPid, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        TargetPid = targetPid;
    }

    public int TargetPid { get; }
}
