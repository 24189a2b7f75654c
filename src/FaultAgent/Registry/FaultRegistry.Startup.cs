namespace FaultAgent.Registry;

/// <summary>The registry's start: load the journal, resolve a crash's pending injections, end what an earlier boot left open.</summary>
public sealed partial class FaultRegistry
{
    /// <summary>
    /// Loads the journal (keeping every readable entry of a damaged one), resolves pending entries
    /// (<see cref="IPendingInjectionResolver"/>), tells <see cref="IRecoveredFaultsListener"/> what this boot's faults
    /// are, ends faults of an earlier boot, expires and prunes, then rewrites the journal compactly (which also repairs it).
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized.Task.IsCompleted)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized.Task.IsCompleted)
            {
                return;
            }

            _bootId = await _bootIdSource.GetBootIdAsync(cancellationToken).ConfigureAwait(false);
            var pendingByFault = new Dictionary<string, FaultJournalEntry>(StringComparer.Ordinal);
            FaultJournalScan loaded;
            lock (_stateLock)
            {
                // Streamed: entry by entry into the registry's state; the file is never held whole in memory.
                loaded = _journal.Load(entry => ReplayLocked(entry, pendingByFault));
            }

            List<FaultJournalEntry> pending = [.. pendingByFault.Values];
            await ResolvePendingAsync(pending, cancellationToken).ConfigureAwait(false);
            await TellRecoveredAsync(cancellationToken).ConfigureAwait(false);
            EndFaultsOfEarlierBoots();
            EndExpired();
            Prune();
            Compact();
            if (loaded.DamagedLines > 0 || loaded.TornTail)
            {
                FaultRegistryLog.Repaired(_logger, _journal.FilePath, loaded.DamagedLines, loaded.TornTail);
            }

            lock (_stateLock)
            {
                FaultRegistryLog.Loaded(_logger, _journal.FilePath, _index.OpenCount, _index.EndedCount, loaded.Entries);
            }

            _initialized.TrySetResult();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies one journal entry, in file order, to the state being rebuilt.</summary>
    private void ReplayLocked(FaultJournalEntry entry, Dictionary<string, FaultJournalEntry> pending)
    {
        switch (entry.Op)
        {
            case FaultJournalOperation.Pending when entry.Fault is not null && entry.FromSequence is not null && !_faults.ContainsKey(entry.FaultId):
                pending[entry.FaultId] = entry;
                break;
            case FaultJournalOperation.Recorded when entry.Fault is not null:
                AddLocked(entry.Fault);
                pending.Remove(entry.FaultId);
                break;
            case FaultJournalOperation.Abandoned:
                pending.Remove(entry.FaultId);
                break;
            case FaultJournalOperation.Ended when entry.State is { } state && _faults.TryGetValue(entry.FaultId, out var fault):
                SetLocked(fault with { State = state, EndedAt = entry.EndedAt, EndedReason = entry.EndedReason, EndedBy = entry.EndedBy });
                break;
            case FaultJournalOperation.Pruned:
                RemoveLocked(entry.FaultId);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Resolves pending entries in the order their records were written: by the sequence each batch started at, then by
    /// place in the batch. Members of one batch share that sequence, so each is looked for from just after the last
    /// record the one before it was found to hold (the kernel got them in this order), never among an earlier member's.
    /// An entry an earlier start kept unresolved is looked for below its <see cref="FaultJournalEntry.BeforeSequence"/>
    /// (the first sequence of the life after it), never among a later injection's records; one kept now gets that bound
    /// from this life's first batch (<see cref="JournalPendingBatch"/>).
    /// </summary>
    private async Task ResolvePendingAsync(List<FaultJournalEntry> pending, CancellationToken cancellationToken)
    {
        var cursor = 0UL;
        foreach (var entry in pending.OrderBy(p => p.FromSequence).ThenBy(p => p.BatchIndex ?? 0))
        {
            var planned = entry.Fault!;
            var fromSequence = Math.Max(entry.FromSequence!.Value, cursor);
            if (planned.BootId != _bootId)
            {
                FaultRegistryLog.PendingBeforeReboot(_logger, entry.FaultId, planned.BootId);
                continue;
            }

            FaultRecord? resolved;
            try
            {
                resolved = await _pendingResolver.ResolveAsync(planned, fromSequence, entry.BeforeSequence, cancellationToken).ConfigureAwait(false);
            }
            catch (PendingInjectionUnreadableException e)
            {
                FaultRegistryLog.PendingUnresolved(_logger, entry.FaultId, e);
                lock (_stateLock)
                {
                    _unresolvedPending[entry.FaultId] = entry;
                }

                if (entry.BeforeSequence is null)
                {
                    _unboundedPending.Add(entry);
                }

                continue;
            }

            if (resolved is null)
            {
                FaultRegistryLog.PendingDropped(_logger, entry.FaultId, fromSequence);
                continue;
            }

            if (resolved.Records.Count > 0)
            {
                cursor = Math.Max(cursor, resolved.Records.Max(r => r.Sequence) + 1);
            }

            Add(resolved);
            FaultRegistryLog.PendingResolved(_logger, entry.FaultId, resolved.State, resolved.Records.Count, planned.Records.Count);
        }
    }

    /// <summary>Hands this boot's faults, and its pending entries left unresolved, to the listener, before anything is pruned.</summary>
    private async Task TellRecoveredAsync(CancellationToken cancellationToken)
    {
        if (_recoveredListener is null)
        {
            return;
        }

        List<FaultRecord> faults;
        List<FaultRecord> unresolved;
        lock (_stateLock)
        {
            faults = [.. _faults.Values.Where(f => f.BootId == _bootId)];
            unresolved = [.. _unresolvedPending.Values.Select(e => e.Fault!).Where(f => f.BootId == _bootId)];
        }

        await _recoveredListener.RecoveredAsync(_bootId, faults, unresolved, cancellationToken).ConfigureAwait(false);
    }

    private void EndFaultsOfEarlierBoots()
    {
        List<FaultRecord> stale;
        lock (_stateLock)
        {
            stale = [.. _faults.Values.Where(f => f.State.IsOpen() && f.BootId != _bootId)];
        }

        foreach (var fault in stale)
        {
            End(fault, FaultState.ResolvedByReboot, $"the node rebooted (boot id {fault.BootId} is now {_bootId}); the kernel log no longer holds the line");
        }
    }
}
