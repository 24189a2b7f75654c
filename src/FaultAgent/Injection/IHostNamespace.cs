using FaultAgent.HostProcesses;

namespace FaultAgent.Injection;

/// <summary>
/// The target process's mount namespace (the host's, through PID 1 on a node). Work runs on one dedicated thread
/// that has entered that namespace, so files it opens (e.g. <c>/dev/kmsg</c>) are the host's. Work items run one at
/// a time, in order; a work item that has started runs to the end (cancellation only skips items not yet started).
/// </summary>
public interface IHostNamespace
{
    /// <summary>The process whose mount namespace is entered.</summary>
    int TargetPid { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on the namespace thread. Throws <see cref="HostNamespaceUnavailableException"/>
    /// when the namespace cannot be entered; exceptions from <paramref name="work"/> propagate unchanged.
    /// </summary>
    Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken);
}
