namespace FaultAgent.Registry;

/// <summary>
/// The registry's side of an injection: the replay check and the <see cref="InjectionSlot"/> through which
/// <see cref="Injection.InjectionPipeline"/> journals the pending entry and records the written fault.
/// </summary>
public sealed partial class FaultRegistry
{
    /// <summary>The stored result of an earlier identical request with this fault id or idempotency key; null when there is none.</summary>
    /// <exception cref="FaultRequestConflictException">The id or key names a fault injected by a different request.</exception>
    public async ValueTask<FaultRecord?> FindReplayAsync(string? faultId, string? idempotencyKey, string requestFingerprint, CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        lock (_stateLock)
        {
            return FindReplayLocked(faultId, idempotencyKey, requestFingerprint);
        }
    }

    /// <summary>
    /// Takes the write gate for the injection of <paramref name="planned"/> (everything but its boot id, state and proof)
    /// and returns the slot that holds it, with the stored result of an identical earlier request when there is one.
    /// </summary>
    /// <exception cref="FaultRequestConflictException">The fault id or idempotency key is taken by a different request.</exception>
    public async Task<InjectionSlot> BeginInjectionAsync(FaultRecord planned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            FaultRecord? replay;
            OpenFaults open;
            lock (_stateLock)
            {
                replay = FindReplayLocked(planned.FaultId, planned.IdempotencyKey, planned.RequestFingerprint);
                if (replay is null && _faults.ContainsKey(planned.FaultId))
                {
                    throw new FaultRequestConflictException($"Fault id '{planned.FaultId}' is already in use.") { Field = "fault_id", ExistingFaultId = planned.FaultId };
                }

                open = OpenFaultsLocked();
            }

            if (replay is null)
            {
                OpenJournalForPending();
            }

            return new InjectionSlot(this, planned, replay, open);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>
    /// Saves the pending entry, fsync'd (the slot holds the gate): it must be on the disk before the kernel holds the line.
    /// Runs on the kernel log's namespace thread (<see cref="Injection.IKernelLog.WriteVerifiedAsync"/>), so it only
    /// writes through the descriptor <see cref="BeginInjectionAsync"/> opened in the agent's own mount namespace.
    /// </summary>
    internal FaultRecord JournalPending(FaultRecord planned, ulong fromSequence)
    {
        var pending = planned with { BootId = _bootId, State = FaultState.Active, EndedAt = null, EndedReason = null };
        try
        {
            _journal.Append(new FaultJournalEntry { Op = FaultJournalOperation.Pending, FaultId = planned.FaultId, Fault = pending, FromSequence = fromSequence }, flushToDisk: true);
        }
        catch (IOException e)
        {
            throw new FaultRegistryStorageException($"The fault journal {_journal.FilePath} cannot be written: {e.Message}. Nothing was injected.", e);
        }

        return pending;
    }

    /// <summary>
    /// Records a written fault (the slot holds the gate). A journal entry that cannot be saved is logged, not thrown: the
    /// records are in the kernel log, and the fsync'd pending entry resolves the fault on the next start.
    /// </summary>
    internal void RecordWritten(FaultRecord written, bool flushToDisk)
    {
        Add(written);
        try
        {
            _journal.Append(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = written.FaultId, Fault = written }, flushToDisk);
        }
        catch (IOException e)
        {
            FaultRegistryLog.RecordNotSaved(_logger, written.FaultId, e);
        }

        CompactIfLarge();
        SignalChange();
    }

    /// <summary>Marks a pending entry abandoned (the slot holds the gate); if even that cannot be saved, the next start looks for its records and finds none.</summary>
    internal void AbandonPending(string faultId)
    {
        try
        {
            _journal.Append(new FaultJournalEntry { Op = FaultJournalOperation.Abandoned, FaultId = faultId }, flushToDisk: false);
        }
        catch (IOException)
        {
            // Left pending: the next start looks for the records and finds none.
        }
    }

    internal void ReleaseWriteGate() => _gate.Release();

    private void OpenJournalForPending()
    {
        try
        {
            _journal.OpenForAppending();
        }
        catch (IOException e)
        {
            throw new FaultRegistryStorageException($"The fault journal {_journal.FilePath} cannot be opened: {e.Message}. Nothing was injected.", e);
        }
    }

    private FaultRecord? FindReplayLocked(string? faultId, string? idempotencyKey, string requestFingerprint)
    {
        if (!string.IsNullOrEmpty(idempotencyKey) && _faultIdByIdempotencyKey.TryGetValue(idempotencyKey, out var keyedId)
            && _faults.TryGetValue(keyedId, out var keyed))
        {
            return keyed.RequestFingerprint == requestFingerprint
                ? keyed
                : throw new FaultRequestConflictException($"Idempotency key '{idempotencyKey}' was already used for a different request (fault '{keyedId}').") { Field = "idempotency_key", ExistingFaultId = keyedId };
        }

        if (!string.IsNullOrEmpty(faultId) && _faults.TryGetValue(faultId, out var existing))
        {
            return existing.RequestFingerprint == requestFingerprint
                ? existing
                : throw new FaultRequestConflictException($"Fault id '{faultId}' was already used for a different request.") { Field = "fault_id", ExistingFaultId = faultId };
        }

        return null;
    }
}
