namespace FaultAgent.Registry;

/// <summary>
/// The registry's side of injections: the replay check and the <see cref="InjectionBatch"/> through which
/// <see cref="Injection.InjectionPipeline"/> journals a group commit's pending entries (one fsync) and records the written faults.
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
    /// Takes the write gate for one group commit of injections (<see cref="Injection.InjectionPipeline"/>) and returns the
    /// batch that holds it, with the journal opened for the members' pending entries.
    /// </summary>
    /// <exception cref="FaultRegistryStorageException">The journal cannot be opened; nothing may be injected.</exception>
    public async Task<InjectionBatch> BeginInjectionBatchAsync(CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OpenFaults open;
            lock (_stateLock)
            {
                open = OpenFaultsLocked();
            }

            OpenJournalForPending();
            _batchChanged = false;
            _batchWakesPasses = false;
            return new InjectionBatch(this, open);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>The replay check of one batch member (the batch holds the gate).</summary>
    internal FaultRecord? FindReplayForInjection(FaultRecord planned)
    {
        lock (_stateLock)
        {
            var replay = FindReplayLocked(planned.FaultId, planned.IdempotencyKey, planned.RequestFingerprint);
            if (replay is null && _faults.ContainsKey(planned.FaultId))
            {
                throw new FaultRequestConflictException($"Fault id '{planned.FaultId}' is already in use.") { Field = "fault_id", ExistingFaultId = planned.FaultId };
            }

            return replay;
        }
    }

    /// <summary>
    /// Saves a batch's pending entries in batch order, then one fsync (the batch holds the gate): they must be on the disk
    /// before the kernel holds any of their lines. First come the pending entries the start kept unresolved (the kernel
    /// log unreadable then), saved again bounded by this batch's sequence (<see cref="FaultJournalEntry.BeforeSequence"/>:
    /// their records were written in an earlier life, below it), then the abandons an earlier batch could not save
    /// (<see cref="AbandonPending"/>): a pending entry left in the file with nothing of it in the kernel log would
    /// otherwise, at the next start, be given the records of a later injection with the same lines (the start reads the
    /// kernel log from each still-pending entry's sequence on, and this batch's lines come after it). Runs inside the
    /// kernel log's batch write (<see cref="Injection.IKernelLog.WriteVerifiedBatchAsync"/>: the batch leader's own thread for
    /// <see cref="Injection.DevKmsgKernelLog"/>; the contract allows a thread in the host's mount namespace), so it only
    /// writes through the descriptor <see cref="BeginInjectionBatchAsync"/> opened in the agent's own mount namespace.
    /// </summary>
    internal IReadOnlyList<FaultRecord> JournalPendingBatch(IReadOnlyList<FaultRecord> members, ulong fromSequence)
    {
        var pending = new FaultRecord[members.Count];

        // The journal's entry count when the members' entries start: it counts an entry once its write() took the line
        // (before its fsync), so after a failure it tells how many of them are in the file.
        int? membersFrom = null;
        try
        {
            // Kept pending entries of an earlier life first: none of their records is at or after this batch's first
            // sequence, which the next start must know before it sees this batch's lines (they may be the same lines).
            while (_unboundedPending.Count > 0)
            {
                var bounded = _unboundedPending[0] with { BeforeSequence = fromSequence };
                _journal.Append(bounded, flushToDisk: false);
                lock (_stateLock)
                {
                    _unresolvedPending[bounded.FaultId] = bounded;
                }

                _unboundedPending.RemoveAt(0);
            }

            while (_unsavedAbandons.Count > 0)
            {
                _journal.Append(new FaultJournalEntry { Op = FaultJournalOperation.Abandoned, FaultId = _unsavedAbandons[0] }, flushToDisk: false);
                _unsavedAbandons.RemoveAt(0);
            }

            membersFrom = _journal.EntryCount;
            for (var i = 0; i < members.Count; i++)
            {
                pending[i] = members[i] with { BootId = _bootId, State = FaultState.Active, EndedAt = null, EndedReason = null };
                var entry = new FaultJournalEntry { Op = FaultJournalOperation.Pending, FaultId = pending[i].FaultId, Fault = pending[i], FromSequence = fromSequence, BatchIndex = i };
                _journal.Append(entry, flushToDisk: i == members.Count - 1);
            }
        }
        catch (IOException e)
        {
            // Nothing of the batch reaches the kernel log, but the entries written before the failure (the last one too
            // when only the fsync failed) are in the file: they are abandoned with the next batch's entries, like an
            // abandon that could not be saved.
            var inFile = membersFrom is { } from ? Math.Min(_journal.EntryCount - from, members.Count) : 0;
            for (var i = 0; i < inFile; i++)
            {
                _unsavedAbandons.Add(members[i].FaultId);
            }

            throw new FaultRegistryStorageException($"The fault journal {_journal.FilePath} cannot be written: {e.Message}. Nothing was injected.", e);
        }

        return pending;
    }

    /// <summary>
    /// Records a written fault (the batch holds the gate; a compaction starts when the batch ends, never while a member is
    /// still pending, and swaps files only under the gate). A journal entry that cannot be saved is logged, not thrown: the
    /// records are in the kernel log, and the fsync'd pending entry resolves the fault on the next start.
    /// </summary>
    internal void RecordWritten(FaultRecord written, FaultRecord pending, bool flushToDisk)
    {
        Add(written);
        try
        {
            // The pending entry is in this file, before it (this batch journaled it, and compaction waits for the batch's
            // end): a verified write is journaled as its delta.
            var entry = RecordedDelta.TryCreate(pending, written);
            _journal.Append(entry ?? new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = written.FaultId, Fault = written }, flushToDisk);
        }
        catch (IOException e)
        {
            FaultRegistryLog.RecordNotSaved(_logger, written.FaultId, e);
        }

        _batchChanged = true;
        _batchWakesPasses |= written.State != FaultState.Active || written.ExpiresAt is not null || written.DcgmWrites.Count > 0;
    }

    /// <summary>
    /// Marks a pending entry abandoned (the batch holds the gate). If that cannot be saved, the abandon is kept and saved
    /// by the next batch before its own pending entries (<see cref="JournalPendingBatch"/>): until then no later line of
    /// this agent reaches the kernel log, so a start before it looks for the entry's records and finds none, and a start
    /// after it finds the entry abandoned — never given the records of a later injection with the same lines.
    /// </summary>
    internal void AbandonPending(string faultId)
    {
        try
        {
            _journal.Append(new FaultJournalEntry { Op = FaultJournalOperation.Abandoned, FaultId = faultId }, flushToDisk: false);
        }
        catch (IOException e)
        {
            FaultRegistryLog.AbandonNotSaved(_logger, faultId, e);
            _unsavedAbandons.Add(faultId);
        }
    }

    /// <summary>The journal's appends made durable (fsync'd) since this registry opened it (tests count group commits).</summary>
    internal long JournalFsyncs => _journal.DurableAppends;

    /// <summary>
    /// Ends a batch: starts a compaction of the journal in the background if it grew large (every member is recorded or
    /// abandoned now: the compaction's snapshot holds no half-journaled member, and it swaps only under the gate), signals the change
    /// once for all members recorded when one of them gives a background pass something to do (<see cref="ChangeToken"/>:
    /// the expiry and DCGM restore passes wake once per such batch, not per member), releases the gate.
    /// </summary>
    internal void EndInjectionBatch()
    {
        try
        {
            if (_batchChanged)
            {
                if (_batchWakesPasses)
                {
                    SignalChange();
                }

                CompactIfLarge();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

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
        if (!string.IsNullOrEmpty(idempotencyKey) && _faultsByIdempotencyKey.TryGetValue(HeldIdempotencyKey.Of(idempotencyKey), out var keyed))
        {
            return keyed.RequestFingerprint == requestFingerprint
                ? keyed
                : throw new FaultRequestConflictException($"Idempotency key '{idempotencyKey}' was already used for a different request (fault '{keyed.FaultId}').") { Field = "idempotency_key", ExistingFaultId = keyed.FaultId };
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
