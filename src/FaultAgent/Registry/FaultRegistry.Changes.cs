namespace FaultAgent.Registry;

/// <summary>The registry's changes after an injection: clear, update, expiry, end-all and pruning, each under the write gate.</summary>
public sealed partial class FaultRegistry
{
    /// <summary>
    /// Marks an active fault cleared. The line stays in the kernel log (nothing can remove it); the record is kept.
    /// Clearing a fault that already ended returns it unchanged.
    /// </summary>
    public Task<FaultRecord> ClearAsync(string faultId, string reason, CancellationToken cancellationToken) =>
        ClearAsync(faultId, reason, endedBy: null, cancellationToken);

    /// <summary>Marks an active fault cleared by <paramref name="endedBy"/> (kept as the record's <c>ended_by</c>).</summary>
    public async Task<FaultRecord> ClearAsync(string faultId, string reason, string? endedBy, CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var fault = GetOrThrow(faultId);
            if (!fault.State.IsOpen())
            {
                return fault;
            }

            var ended = End(fault, FaultState.Cleared, reason, endedBy);
            CompactIfLarge();
            SignalChange();
            return ended;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Replaces a recorded fault by <paramref name="update"/>'s result (e.g. adding the proof of a DCGM restore to an ended
    /// fault) and persists it; id, state and timestamps stay as recorded. Returns the new record.
    /// </summary>
    public async Task<FaultRecord> UpdateAsync(string faultId, Func<FaultRecord, FaultRecord> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = GetOrThrow(faultId);
            var updated = update(current) with
            {
                FaultId = current.FaultId,
                State = current.State,
                InjectedAt = current.InjectedAt,
                EndedAt = current.EndedAt,
                EndedReason = current.EndedReason,
                EndedBy = current.EndedBy,
            };
            Add(updated);
            AppendOrThrow(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = updated.FaultId, Fault = updated });
            CompactIfLarge();
            return updated;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Why a timed fault injected later than the clock now reads was ended (<see cref="ExpiryDueLocked"/>).</summary>
    public const string ClockWentBackReason = "the node's clock went back past its injection, so its duration cannot be counted";

    /// <summary>
    /// How far back the clock may step past a timed fault's injection before that fault is ended for it: a smaller step
    /// (an NTP correction of milliseconds) lets the fault run at most this much longer than its duration instead of
    /// ending a fault of minutes at once.
    /// </summary>
    public static readonly TimeSpan ClockStepTolerance = TimeSpan.FromSeconds(1);

    /// <summary>Ends every active fault whose duration has passed, then prunes; returns how many expired.</summary>
    public async Task<int> EndExpiredAndPruneAsync(CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        lock (_stateLock)
        {
            // Woken by every change (each injection batch): without a fault due to end or a record to drop, it leaves
            // the write gate to the injections. A fault recorded after this look wakes it again.
            var now = _timeProvider.GetUtcNow();
            if (!ExpiryDueLocked(now) && !PruneDueLocked(now))
            {
                return 0;
            }
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var expired = EndExpired();
            Prune();
            CompactIfLarge();
            if (expired > 0)
            {
                SignalChange();
            }

            return expired;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Ends every active fault at once as <paramref name="state"/> (an emergency stop expires them all), recording
    /// <paramref name="reason"/> and <paramref name="endedBy"/>; returns the ended records.
    /// </summary>
    public async Task<IReadOnlyList<FaultRecord>> EndAllActiveAsync(FaultState state, string reason, string? endedBy, CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<FaultRecord> active;
            lock (_stateLock)
            {
                active = [.. _faults.Values.Where(f => f.State.IsOpen())];
            }

            var ended = new List<FaultRecord>(active.Count);
            try
            {
                foreach (var fault in active)
                {
                    ended.Add(End(fault, state, reason, endedBy));
                }
            }
            finally
            {
                // Those ended before a failure stay ended (journaled); the rest stay active for a retry.
                if (ended.Count > 0)
                {
                    SignalChange();
                }
            }

            if (ended.Count > 0)
            {
                CompactIfLarge();
            }

            return ended;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends every open fault whose duration has passed (the caller holds the gate); returns how many.</summary>
    private int EndExpired()
    {
        var now = _timeProvider.GetUtcNow();
        List<FaultRecord> due;
        lock (_stateLock)
        {
            if (!ExpiryDueLocked(now))
            {
                return 0;
            }

            due = [.. _faults.Values.Where(f => f.State.IsOpen() && f.ExpiresAt is { } expiresAt && (expiresAt <= now || f.InjectedAt > now + ClockStepTolerance))];
        }

        foreach (var fault in due)
        {
            End(fault, FaultState.Expired, fault.ExpiresAt <= now ? "its duration elapsed" : ClockWentBackReason);
        }

        return due.Count;
    }

    /// <summary>
    /// Whether an open fault's duration has passed at <paramref name="now"/> (the earliest expiry, kept by the index), or
    /// the clock went back past a timed fault's injection (by more than <see cref="ClockStepTolerance"/>): how long that one has been active cannot be counted, and its
    /// expiry, read on the earlier clock, may lie up to the clock's step too far ahead (a year's step kept a fault of 60 s
    /// active a year), so it ends now — a fault may end early, never late.
    /// </summary>
    private bool ExpiryDueLocked(DateTimeOffset now) =>
        (_index.NextExpiry(_faults.Values) is { } next && next <= now)
        || (_index.LatestTimedInjection(_faults.Values) is { } latest && latest > now + ClockStepTolerance);

    /// <summary>Whether <see cref="Prune"/> would drop a record at <paramref name="now"/>: more ended records than kept, or the oldest past its retention.</summary>
    private bool PruneDueLocked(DateTimeOffset now) =>
        _index.EndedCount > _options.MaxEndedRecords || (_index.OldestEnd(_faults.Values) is { } oldest && now - oldest > _options.EndedRetention);

    /// <summary>Ends one fault (the caller holds the gate), journaled first once the registry is loaded.</summary>
    private FaultRecord End(FaultRecord fault, FaultState state, string reason, string? endedBy = null)
    {
        var now = _timeProvider.GetUtcNow();
        var endedAt = state == FaultState.Expired && fault.ExpiresAt is { } expiresAt && expiresAt <= now ? expiresAt : now;
        var ended = fault with { State = state, EndedAt = endedAt, EndedReason = reason, EndedBy = endedBy };

        // Journaled first: a fault whose end cannot be written stays active, so the caller (an emergency stop) retries it.
        if (_initialized.Task.IsCompleted)
        {
            AppendOrThrow(new FaultJournalEntry { Op = FaultJournalOperation.Ended, FaultId = fault.FaultId, State = state, EndedAt = endedAt, EndedReason = reason, EndedBy = endedBy });
        }

        lock (_stateLock)
        {
            SetLocked(ended);
        }

        FaultRegistryLog.Ended(_logger, fault.FaultId, state, reason);
        return ended;
    }

    /// <summary>Drops ended records past their retention or beyond the count kept (the caller holds the gate).</summary>
    private void Prune()
    {
        var now = _timeProvider.GetUtcNow();
        List<string> prune;
        lock (_stateLock)
        {
            if (!PruneDueLocked(now))
            {
                return;
            }

            // Records that ended at one instant (an emergency stop ends every open fault at one) go oldest first, not in the map's order.
            var ended = _faults.Values.Where(f => !f.State.IsOpen())
                .OrderBy(f => f.EndedAt).ThenBy(f => f.InjectedAt).ThenBy(f => f.HeldRecords.FirstSequence).ThenBy(f => f.FaultId, StringComparer.Ordinal).ToList();
            var tooOld = ended.Where(f => f.EndedAt is { } endedAt && now - endedAt > _options.EndedRetention).ToList();
            var remaining = ended.Except(tooOld).ToList();
            var overCount = remaining.Take(Math.Max(0, remaining.Count - _options.MaxEndedRecords));
            prune = [.. tooOld.Concat(overCount).Select(f => f.FaultId)];
            foreach (var faultId in prune)
            {
                RemoveLocked(faultId);
            }
        }

        if (prune.Count == 0)
        {
            return;
        }

        if (_initialized.Task.IsCompleted)
        {
            foreach (var faultId in prune)
            {
                AppendOrThrow(new FaultJournalEntry { Op = FaultJournalOperation.Pruned, FaultId = faultId });
            }
        }

        FaultRegistryLog.Pruned(_logger, prune.Count);
    }
}
