namespace FaultAgent.Registry;

/// <summary>
/// Tells the registry, at its start, what a pending journal entry left by a crash stands for, from the place its records
/// were written to (the kernel log: <see cref="Injection.KernelLogPendingResolver"/>).
/// </summary>
public interface IPendingInjectionResolver
{
    /// <summary>
    /// The fault to record for <paramref name="planned"/>, about to be written at <paramref name="fromSequence"/> when the
    /// agent stopped, its records all below <paramref name="beforeSequence"/> when that is known; null when nothing of
    /// it was written.
    /// </summary>
    /// <exception cref="PendingInjectionUnreadableException">Its records cannot be looked for now; the entry stays pending.</exception>
    Task<FaultRecord?> ResolveAsync(FaultRecord planned, ulong fromSequence, ulong? beforeSequence, CancellationToken cancellationToken);
}
