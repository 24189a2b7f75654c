namespace FaultAgent.Registry;

/// <summary>
/// One group commit's hold on the registry's write gate (<see cref="FaultRegistry.BeginInjectionBatchAsync"/>), from its
/// members' replay checks to their records: while it is held no other injection, clear, expiry or emergency stop changes
/// the registry, so identical requests write once and the open faults cannot change before the write. Its members'
/// pending entries are journaled together with one fsync (<see cref="JournalPending"/>), inside the same batch write of
/// the kernel log that then writes every member (<see cref="Injection.IKernelLog.WriteVerifiedBatchAsync"/>); back
/// from it, each member is recorded (<see cref="Record"/>) or abandoned (<see cref="Abandon"/>) in batch order, a member
/// that stopped the batch write before the next batch write writes the members after it. Disposing it starts a compaction of
/// the journal in the background if it grew large (never while a member is still pending) and releases the gate.
/// </summary>
public sealed class InjectionBatch : IDisposable
{
    private readonly FaultRegistry _registry;
    private readonly HashSet<string> _faultIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _idempotencyKeys = new(StringComparer.Ordinal);
    private bool _released;

    internal InjectionBatch(FaultRegistry registry, OpenFaults openFaults)
    {
        _registry = registry;
        OpenFaults = openFaults;
    }

    /// <summary>The open faults when the batch began plus the members admitted since (what the node's limits weigh).</summary>
    public OpenFaults OpenFaults { get; private set; }

    /// <summary>
    /// The stored result of an earlier identical request, or null when <paramref name="planned"/> is to be written.
    /// <paramref name="sharesKey"/> is true when a member already admitted to this batch has its fault id or idempotency
    /// key: it must wait for the next batch, which sees that member's record (a replay or a conflict).
    /// </summary>
    /// <exception cref="FaultRequestConflictException">The fault id or idempotency key is taken by a different request.</exception>
    public FaultRecord? FindReplay(FaultRecord planned, out bool sharesKey)
    {
        ArgumentNullException.ThrowIfNull(planned);
        sharesKey = _faultIds.Contains(planned.FaultId)
            || (!string.IsNullOrEmpty(planned.IdempotencyKey) && _idempotencyKeys.Contains(planned.IdempotencyKey));
        return sharesKey ? null : _registry.FindReplayForInjection(planned);
    }

    /// <summary>Counts <paramref name="planned"/> as a member to be written (after the node's limits admitted it).</summary>
    public void Admit(FaultRecord planned)
    {
        ArgumentNullException.ThrowIfNull(planned);
        _faultIds.Add(planned.FaultId);
        if (!string.IsNullOrEmpty(planned.IdempotencyKey))
        {
            _idempotencyKeys.Add(planned.IdempotencyKey);
        }

        var expiry = planned.ExpiresAt;
        OpenFaults = new OpenFaults(OpenFaults.Count + 1,
            OpenFaults.NextExpiry is { } next && (expiry is null || next <= expiry) ? next : expiry ?? OpenFaults.NextExpiry);
    }

    /// <summary>
    /// Saves the members' pending entries, in batch order, then fsyncs once; returns each fault as it stands while being
    /// written (this boot, active). Runs inside the kernel log's batch write, once per batch before anything of it is
    /// written (its step before the write; the leader's own thread for <see cref="Injection.DevKmsgKernelLog"/>, a
    /// thread in the host's mount namespace is allowed too): it only writes through the descriptor
    /// <see cref="FaultRegistry.BeginInjectionBatchAsync"/> opened in the agent's own mount namespace.
    /// </summary>
    /// <exception cref="FaultRegistryStorageException">The journal cannot be written; nothing of the batch may be injected.</exception>
    public IReadOnlyList<FaultRecord> JournalPending(IReadOnlyList<FaultRecord> members, ulong fromSequence) =>
        _registry.JournalPendingBatch(members, fromSequence);

    /// <summary>
    /// Records a written member (verified, or with an incomplete outcome) in the registry and its journal, where a verified
    /// one is a delta of <paramref name="pending"/> (its entry as <see cref="JournalPending"/> returned it);
    /// <paramref name="flushToDisk"/> makes the journal entry durable before returning.
    /// </summary>
    public void Record(FaultRecord written, FaultRecord pending, bool flushToDisk) => _registry.RecordWritten(written, pending, flushToDisk);

    /// <summary>Marks a member's pending entry abandoned: nothing of it is in the kernel log.</summary>
    public void Abandon(string faultId) => _registry.AbandonPending(faultId);

    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _registry.EndInjectionBatch();
        }
    }
}
