namespace FaultAgent.HostProcesses;

/// <summary>
/// Runs programs in the host's namespaces (the mount, pid, ipc, uts and net namespaces of <c>Agent:TargetPid</c>).
/// A non-zero exit code is returned, not thrown. Throws <see cref="HostToolNotFoundException"/> when the program
/// (or nsenter) cannot be executed, <see cref="HostNamespaceUnavailableException"/> when the target's namespaces cannot be
/// entered, <see cref="HostCommandTimeoutException"/> when the timeout passed (the whole process tree is killed first), and
/// <see cref="OperationCanceledException"/> when the caller cancelled (the tree is killed as well). The timeout counts
/// from the program's start, before <see cref="RunAsync"/> returns its task (<see cref="HostCommand.TimeoutStarted"/>).
/// </summary>
public interface IHostCommandRunner
{
    Task<HostCommandResult> RunAsync(HostCommand command, CancellationToken cancellationToken);
}
