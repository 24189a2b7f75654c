using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Limits;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Registry;

/// <summary>
/// The node's registry of injected faults, persisted in <see cref="FaultJournal"/>. It owns the write-ahead protocol of an
/// injection: a <see cref="FaultJournalOperation.Pending"/> entry carrying the kernel's next sequence number is saved before
/// the kernel-log write, and the recorded fault after it; on start every pending entry left by a crash is resolved by
/// looking for its exact records in the kernel log. Injections and state changes are serialized: duplicates that arrive at
/// the same time write once.
/// </summary>
public sealed class FaultRegistry : IDisposable
{
    private readonly IKernelLog _kernelLog;
    private readonly IBootIdSource _bootIdSource;
    private readonly TimeProvider _timeProvider;
    private readonly FaultRegistryOptions _options;
    private readonly ILogger<FaultRegistry> _logger;
    private readonly IInjectionGuard? _guard;
    private readonly IInjectionLimiter? _limiter;
    private readonly FaultJournal _journal;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _stateLock = new();
    private readonly Dictionary<string, FaultRecord> _faults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _faultIdByIdempotencyKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FaultJournalEntry> _unresolvedPending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _changed = new();
    private string _bootId = "";

    public FaultRegistry(
        IKernelLog kernelLog,
        IBootIdSource bootIdSource,
        TimeProvider timeProvider,
        IOptions<AgentOptions> agentOptions,
        IOptions<FaultRegistryOptions> options,
        ILoggerFactory loggerFactory,
        IInjectionGuard? guard = null,
        IInjectionLimiter? limiter = null)
    {
        _guard = guard;
        _limiter = limiter;
        _kernelLog = kernelLog;
        _bootIdSource = bootIdSource;
        _timeProvider = timeProvider;
        _options = options.Value;
        _logger = loggerFactory.CreateLogger<FaultRegistry>();
        _journal = new FaultJournal(agentOptions.Value.StateDirectory, loggerFactory.CreateLogger<FaultJournal>());
    }

    /// <summary>Cancelled whenever a fault is recorded or ends, so a waiter can recompute the next expiry.</summary>
    public CancellationToken ChangeToken
    {
        get
        {
            lock (_stateLock)
            {
                return _changed.Token;
            }
        }
    }

    public bool IsInitialized => _initialized.Task.IsCompletedSuccessfully;

    /// <summary>Open faults now (active, or written with an unknown or partial outcome): a metric, and what the active-fault limit counts.</summary>
    public int ActiveCount
    {
        get
        {
            lock (_stateLock)
            {
                return _faults.Values.Count(f => f.State.IsOpen());
            }
        }
    }

    /// <summary>Records kept now, active and ended (a metric).</summary>
    public int RecordCount
    {
        get
        {
            lock (_stateLock)
            {
                return _faults.Count;
            }
        }
    }

    public string JournalPath => _journal.FilePath;

    /// <summary>
    /// Loads the journal (keeping every readable entry of a damaged one), resolves pending entries against the kernel log,
    /// ends faults of an earlier boot, expires and prunes, then rewrites the journal compactly (which also repairs it).
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
                loaded = _journal.Load(entry => ReplayUnlocked(entry, pendingByFault));
            }

            List<FaultJournalEntry> pending = [.. pendingByFault.Values];
            await ResolvePendingAsync(pending, cancellationToken).ConfigureAwait(false);
            EndFaultsOfEarlierBoots();
            EndExpiredLocked();
            PruneLocked();
            Compact();
            if (loaded.DamagedLines > 0 || loaded.TornTail)
            {
                FaultRegistryLog.Repaired(_logger, _journal.FilePath, loaded.DamagedLines, loaded.TornTail);
            }

            lock (_stateLock)
            {
                var active = _faults.Values.Count(f => f.State.IsOpen());
                FaultRegistryLog.Loaded(_logger, _journal.FilePath, active, _faults.Count - active, loaded.Entries);
            }

            _initialized.TrySetResult();
        }
        finally
        {
            _gate.Release();
        }
    }

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
    /// Writes the planned fault's lines through the kernel log and records it, unless an identical request already did
    /// (then returns that, replayed). <paramref name="planned"/> carries everything but the boot id, state and proof.
    /// </summary>
    public async Task<FaultRegistration> RecordInjectionAsync(FaultRecord planned, IReadOnlyList<KernelLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(lines);
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            FaultRecord? replay;
            lock (_stateLock)
            {
                replay = FindReplayLocked(planned.FaultId, planned.IdempotencyKey, planned.RequestFingerprint);
                if (replay is null && _faults.ContainsKey(planned.FaultId))
                {
                    throw new FaultRequestConflictException($"Fault id '{planned.FaultId}' is already in use.") { Field = "fault_id", ExistingFaultId = planned.FaultId };
                }
            }

            if (replay is not null)
            {
                return new FaultRegistration(replay, Replayed: true);
            }

            // Under the gate: a stop engaged while this injection waited is seen here, and one engaged after this point
            // ends the fault right after it is recorded (its end-all waits for the gate).
            _guard?.ThrowIfRefused();
            AdmitLocked();

            var fromSequence = await _kernelLog.GetNextSequenceAsync(cancellationToken).ConfigureAwait(false);
            var pendingFault = planned with { BootId = _bootId, State = FaultState.Active, EndedAt = null, EndedReason = null };
            try
            {
                // The only fsync of an injection: the pending entry must be on the disk before the kernel holds the line.
                _journal.Append(new FaultJournalEntry { Op = FaultJournalOperation.Pending, FaultId = planned.FaultId, Fault = pendingFault, FromSequence = fromSequence }, flushToDisk: true);
            }
            catch (IOException e)
            {
                throw new FaultRegistryStorageException($"The fault journal {_journal.FilePath} cannot be written: {e.Message}. Nothing was injected.", e);
            }

            // From here on the write goes through whatever the caller does: a half-done injection is worse than a late one.
            IReadOnlyList<KernelLogRecord> written;
            try
            {
                written = await _kernelLog.WriteVerifiedAsync(lines, CancellationToken.None).ConfigureAwait(false);
            }
            catch (KernelLogWriteIncompleteException e)
            {
                // Some records landed, or one may have: never "nothing written". Recorded as such, so a retry replays it.
                var incomplete = IncompleteWrites.Record(pendingFault, e.Landed, e.OutcomeUnknown, e.Message, _timeProvider.GetUtcNow());
                AddLocked(incomplete);
                try
                {
                    _journal.Append(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = incomplete.FaultId, Fault = incomplete }, flushToDisk: true);
                }
                catch (IOException io)
                {
                    FaultRegistryLog.RecordNotSaved(_logger, incomplete.FaultId, io);
                }

                FaultRegistryLog.WriteIncomplete(_logger, incomplete.FaultId, incomplete.State, e.Landed.Count, lines.Count, e);
                CompactIfLarge();
                SignalChange();
                throw new InjectionOutcomeException(incomplete, e);
            }
            catch (Exception e)
            {
                FaultRegistryLog.WriteFailed(_logger, planned.FaultId, e);
                TryAppend(new FaultJournalEntry { Op = FaultJournalOperation.Abandoned, FaultId = planned.FaultId });
                throw;
            }

            var observedAt = _timeProvider.GetUtcNow();
            var recorded = pendingFault with
            {
                WriteOutcome = FaultWriteOutcome.Verified,
                Records = [.. written.Select(r => IncompleteWrites.Proof(r, observedAt))],
            };
            AddLocked(recorded);
            try
            {
                // Written, not fsync'd: a killed agent keeps it (page cache); a kernel crash reboots the node, and then the
                // fsync'd pending entry stands for it. The next injection's fsync makes it durable too.
                _journal.Append(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = recorded.FaultId, Fault = recorded }, flushToDisk: false);
            }
            catch (IOException e)
            {
                FaultRegistryLog.RecordNotSaved(_logger, recorded.FaultId, e);
            }

            FaultRegistryLog.Injected(_logger, recorded.FaultId, recorded.GpuId, recorded.FaultType, recorded.Caller, written.Count > 0 ? written[0].Sequence : 0);
            CompactIfLarge();
            SignalChange();
            return new FaultRegistration(recorded, Replayed: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<FaultRecord> GetAsync(string faultId, CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        lock (_stateLock)
        {
            return _faults.TryGetValue(faultId, out var fault)
                ? fault
                : throw new FaultNotFoundException($"No fault '{faultId}' is recorded on this node.") { FaultId = faultId };
        }
    }

    /// <summary>Every recorded fault (or only the active ones), oldest first.</summary>
    public async ValueTask<IReadOnlyList<FaultRecord>> ListAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        lock (_stateLock)
        {
            return [.. _faults.Values
                .Where(f => !activeOnly || f.State.IsOpen())
                .OrderBy(f => f.InjectedAt)
                .ThenBy(f => f.Records.Count > 0 ? f.Records[0].Sequence : 0)
                .ThenBy(f => f.FaultId, StringComparer.Ordinal)];
        }
    }

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
            FaultRecord fault;
            lock (_stateLock)
            {
                if (!_faults.TryGetValue(faultId, out var found))
                {
                    throw new FaultNotFoundException($"No fault '{faultId}' is recorded on this node.") { FaultId = faultId };
                }

                fault = found;
            }

            if (!fault.State.IsOpen())
            {
                return fault;
            }

            var ended = EndLocked(fault, FaultState.Cleared, reason, endedBy);
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
            FaultRecord current;
            lock (_stateLock)
            {
                if (!_faults.TryGetValue(faultId, out var found))
                {
                    throw new FaultNotFoundException($"No fault '{faultId}' is recorded on this node.") { FaultId = faultId };
                }

                current = found;
            }

            var updated = update(current) with
            {
                FaultId = current.FaultId,
                State = current.State,
                InjectedAt = current.InjectedAt,
                EndedAt = current.EndedAt,
                EndedReason = current.EndedReason,
                EndedBy = current.EndedBy,
            };
            AddLocked(updated);
            AppendOrThrow(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = updated.FaultId, Fault = updated });
            CompactIfLarge();
            return updated;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The earliest expiry among active faults.</summary>
    public DateTimeOffset? NextExpiry
    {
        get
        {
            lock (_stateLock)
            {
                return _faults.Values.Where(f => f.State.IsOpen() && f.ExpiresAt is not null).Min(f => f.ExpiresAt);
            }
        }
    }

    /// <summary>Ends every active fault whose duration has passed, then prunes; returns how many expired.</summary>
    public async Task<int> EndExpiredAndPruneAsync(CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var expired = EndExpiredLocked();
            PruneLocked();
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
                    ended.Add(EndLocked(fault, state, reason, endedBy));
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

    public void Dispose()
    {
        _journal.Dispose();
        _gate.Dispose();
        _changed.Dispose();
    }

    private Task WaitInitializedAsync(CancellationToken cancellationToken) => _initialized.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Throws as an injection would be refused now (emergency stop, the node's limits), counting nothing: asked before a
    /// surface written ahead of the registry (DCGM). The registry still decides when the fault is recorded.
    /// </summary>
    public async Task CheckAdmissionAsync(CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        _guard?.ThrowIfRefused();
        if (_limiter is null)
        {
            return;
        }

        int open;
        DateTimeOffset? nextExpiry;
        lock (_stateLock)
        {
            open = _faults.Values.Count(f => f.State.IsOpen());
            nextExpiry = _faults.Values.Where(f => f.State.IsOpen() && f.ExpiresAt is not null).Min(f => f.ExpiresAt);
        }

        _limiter.Check(open, nextExpiry);
    }

    /// <summary>Asks the node's limits (under the gate, so the count cannot change before the write).</summary>
    private void AdmitLocked()
    {
        if (_limiter is null)
        {
            return;
        }

        int open;
        DateTimeOffset? nextExpiry;
        lock (_stateLock)
        {
            open = _faults.Values.Count(f => f.State.IsOpen());
            nextExpiry = _faults.Values.Where(f => f.State.IsOpen() && f.ExpiresAt is not null).Min(f => f.ExpiresAt);
        }

        _limiter.Admit(open, nextExpiry);
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

    /// <summary>Applies one journal entry, in file order, to the state being rebuilt (the caller holds the state lock).</summary>
    private void ReplayUnlocked(FaultJournalEntry entry, Dictionary<string, FaultJournalEntry> pending)
    {
        switch (entry.Op)
        {
            case FaultJournalOperation.Pending when entry.Fault is not null && entry.FromSequence is not null && !_faults.ContainsKey(entry.FaultId):
                pending[entry.FaultId] = entry;
                break;
            case FaultJournalOperation.Recorded when entry.Fault is not null:
                AddUnlocked(entry.Fault);
                pending.Remove(entry.FaultId);
                break;
            case FaultJournalOperation.Abandoned:
                pending.Remove(entry.FaultId);
                break;
            case FaultJournalOperation.Ended when entry.State is { } state && _faults.TryGetValue(entry.FaultId, out var fault):
                _faults[entry.FaultId] = fault with { State = state, EndedAt = entry.EndedAt, EndedReason = entry.EndedReason, EndedBy = entry.EndedBy };
                break;
            case FaultJournalOperation.Pruned:
                RemoveUnlocked(entry.FaultId);
                break;
            default:
                break;
        }
    }

    private async Task ResolvePendingAsync(List<FaultJournalEntry> pending, CancellationToken cancellationToken)
    {
        foreach (var entry in pending.OrderBy(p => p.FromSequence))
        {
            var planned = entry.Fault!;
            var fromSequence = entry.FromSequence!.Value;
            if (planned.BootId != _bootId)
            {
                FaultRegistryLog.PendingBeforeReboot(_logger, entry.FaultId, planned.BootId);
                continue;
            }

            IReadOnlyList<KernelLogRecord> records;
            try
            {
                records = await _kernelLog.ReadFromAsync(fromSequence, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KernelLogUnavailableException or IOException)
            {
                FaultRegistryLog.PendingUnresolved(_logger, entry.FaultId, e);
                _unresolvedPending[entry.FaultId] = entry;
                continue;
            }

            var resolved = PendingInjectionResolution.Resolve(planned, fromSequence, records, _timeProvider.GetUtcNow());
            if (resolved is null)
            {
                FaultRegistryLog.PendingDropped(_logger, entry.FaultId, fromSequence);
                continue;
            }

            AddLocked(resolved);
            FaultRegistryLog.PendingResolved(_logger, entry.FaultId, resolved.State, resolved.Records.Count, planned.Records.Count);
        }
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
            EndLocked(fault, FaultState.ResolvedByReboot, $"the node rebooted (boot id {fault.BootId} is now {_bootId}); the kernel log no longer holds the line");
        }
    }

    private int EndExpiredLocked()
    {
        var now = _timeProvider.GetUtcNow();
        List<FaultRecord> due;
        lock (_stateLock)
        {
            due = [.. _faults.Values.Where(f => f.State.IsOpen() && f.ExpiresAt is { } expiresAt && expiresAt <= now)];
        }

        foreach (var fault in due)
        {
            EndLocked(fault, FaultState.Expired, "its duration elapsed");
        }

        return due.Count;
    }

    private FaultRecord EndLocked(FaultRecord fault, FaultState state, string reason, string? endedBy = null)
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
            _faults[fault.FaultId] = ended;
        }

        FaultRegistryLog.Ended(_logger, fault.FaultId, state, reason);
        return ended;
    }

    private void PruneLocked()
    {
        var now = _timeProvider.GetUtcNow();
        List<string> prune;
        lock (_stateLock)
        {
            var ended = _faults.Values.Where(f => !f.State.IsOpen()).OrderBy(f => f.EndedAt).ToList();
            var tooOld = ended.Where(f => f.EndedAt is { } endedAt && now - endedAt > _options.EndedRetention).ToList();
            var remaining = ended.Except(tooOld).ToList();
            var overCount = remaining.Take(Math.Max(0, remaining.Count - _options.MaxEndedRecords));
            prune = [.. tooOld.Concat(overCount).Select(f => f.FaultId)];
            foreach (var faultId in prune)
            {
                RemoveUnlocked(faultId);
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

    private void CompactIfLarge()
    {
        int live;
        lock (_stateLock)
        {
            live = _faults.Count + _unresolvedPending.Count;
        }

        if (_journal.EntryCount >= Math.Max(_options.CompactAfterEntries, live * 2))
        {
            try
            {
                Compact();
            }
            catch (IOException)
            {
                // The appended journal stays valid; compaction is retried after the next change.
            }
        }
    }

    private void Compact()
    {
        List<FaultJournalEntry> snapshot;
        lock (_stateLock)
        {
            snapshot =
            [
                .. _faults.Values
                    .OrderBy(f => f.InjectedAt)
                    .Select(f => new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = f.FaultId, Fault = f }),
                .. _unresolvedPending.Values,
            ];
        }

        _journal.Rewrite(snapshot);
    }

    private void AddLocked(FaultRecord fault)
    {
        lock (_stateLock)
        {
            AddUnlocked(fault);
        }
    }

    private void AddUnlocked(FaultRecord fault)
    {
        _faults[fault.FaultId] = fault;
        if (!string.IsNullOrEmpty(fault.IdempotencyKey))
        {
            _faultIdByIdempotencyKey[fault.IdempotencyKey] = fault.FaultId;
        }
    }

    private void RemoveUnlocked(string faultId)
    {
        if (_faults.Remove(faultId, out var removed) && !string.IsNullOrEmpty(removed.IdempotencyKey))
        {
            _faultIdByIdempotencyKey.Remove(removed.IdempotencyKey);
        }
    }

    private void AppendOrThrow(FaultJournalEntry entry)
    {
        try
        {
            _journal.Append(entry, flushToDisk: false);
        }
        catch (IOException e)
        {
            throw new FaultRegistryStorageException($"The fault journal {_journal.FilePath} cannot be written: {e.Message}", e);
        }
    }

    private void TryAppend(FaultJournalEntry entry)
    {
        try
        {
            _journal.Append(entry, flushToDisk: false);
        }
        catch (IOException)
        {
            // Left pending: the next start looks for the records and finds none.
        }
    }

    private void SignalChange()
    {
        CancellationTokenSource previous;
        lock (_stateLock)
        {
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        // Not disposed: a waiter may still be linking to its token; it holds no timer.
        previous.Cancel();
    }
}
