using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using FaultApi.Drills;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Storage;
using k8s;
using k8s.Autorest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FaultApi.Suites;

/// <summary>
/// Runs one suite in this replica: starts its drills through <see cref="DrillService"/> (at most <c>concurrency</c> at
/// once, never two on one node), waits for each verdict by watching the drill's record, copies the verdict and timeline
/// into the suite, clears the drill's fault, and ends the suite when every drill ended (passed only if all passed). Every
/// change is saved to the suite's ConfigMap with the version read, which also renews this replica's lease; a write that
/// finds the record changed by someone else (a cancel through any replica, a lost lease) stops the run without
/// overwriting. A resumed suite picks up where the record says: drills running are waited for, pending ones started
/// unless the record says no further drill starts (<see cref="SuiteStop"/>: a drill cancelled from outside the suite,
/// which then ends cancelled with its reason, or a failure under stop_on_failure).
/// </summary>
public sealed class SuiteRunner(
    StoredSuite stored,
    SuiteStore store,
    DrillService drills,
    DrillStore drillStore,
    SuiteFaultCleaner cleaner,
    RoutingOptions routing,
    TimeSpan leaseDuration,
    TimeSpan defaultDrillTimeout,
    string identity,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    private readonly SuiteRecord _suite = stored.Suite;
    /// <summary>The 503s a drill's start answers before anything is recorded or sent, while this replica's caches sync: retried, not an error.</summary>
    private static readonly HashSet<string> NotReadyYet = new(StringComparer.Ordinal) { "Routing not ready", "Kubernetes API not answering" };

    private readonly CancellationTokenSource _halt = new();

    /// <summary>Pending drills whose start answered 503 (routing not synced, watches not synced): when to try again, and until when.</summary>
    private readonly Dictionary<int, (DateTimeOffset Next, DateTimeOffset Until, int Attempts)> _startRetries = [];
    private StoredSuite _stored = stored;

    public string SuiteId => _suite.SuiteId;

    /// <summary>
    /// True when no pending drill starts any more, read from the suite as it stands here (<see cref="SuiteStop"/>, the
    /// rule a runner resuming the record and every replica's reader apply): a drill cancelled from outside the suite, or
    /// for a refused save, or a failure under stop_on_failure.
    /// </summary>
    private bool StopsScheduling => SuiteStop.StopsScheduling(_suite);

    /// <summary>
    /// Set once the run ended but no version of its end could be written (every save refused or failing): why. The
    /// suite <see cref="RunAsync"/> returned is then the only account of it; <see cref="RunningSuites"/> keeps it for
    /// reads and <see cref="SuiteService.RecordUnrecordedAsync"/> writes it again.
    /// </summary>
    public string? EndNotRecorded { get; private set; }

    /// <summary>Stops this run at once without writing (the caller ends the suite in its record).</summary>
    public void Halt()
    {
        try
        {
            _halt.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run already ended.
        }
    }

    public void Dispose() => _halt.Dispose();

    /// <summary>Runs until the suite ends (returns it), or stops (null) when halted, when this replica stops (lease released), or when the record was changed elsewhere.</summary>
    public async Task<SuiteRecord?> RunAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _halt.Token);
        var token = linked.Token;
        var active = new Dictionary<int, Task<DrillRecord?>>();
        try
        {
            var restart = await ResumeAsync(active, token).ConfigureAwait(false);

            // What the record says of the run so far is what this runner goes on from (StopsScheduling, and EndAsync's
            // SuiteStop.EndedBy): nothing more starts after a drill recorded cancelled, or a failure under stop_on_failure.
            foreach (var entry in restart)
            {
                if (StopsScheduling)
                {
                    // Not started after the stop: skipped at the end (a create of the previous holder's that lands
                    // meanwhile finds its entry ended, and that holder cancels its drill).
                    entry.State = SuiteState.Pending;
                    entry.StartedAt = null;
                    entry.DrillId = null;
                    continue;
                }

                // Recorded as starting under its fixed drill id, no record of that id stored: started again under the
                // same id (a create of the previous holder's that lands first is adopted).
                if (!await StartEntryAsync(entry, active, token).ConfigureAwait(false))
                {
                    return null;
                }
            }

            while (true)
            {
                var started = await StartWhatMayStartAsync(active, token).ConfigureAwait(false);
                if (started is false)
                {
                    return null;
                }

                if (active.Count == 0 && (StopsScheduling || _startRetries.Count == 0))
                {
                    return await EndAsync(token).ConfigureAwait(false);
                }

                var pause = leaseDuration / 3;
                if (_startRetries.Count > 0)
                {
                    var untilRetry = _startRetries.Values.Min(r => r.Next) - time.GetUtcNow();
                    pause = untilRetry < TimeSpan.Zero ? TimeSpan.Zero : untilRetry < pause ? untilRetry : pause;
                }

                var renew = Task.Delay(pause, time, token);
                await Task.WhenAny(active.Values.Cast<Task>().Append(renew)).ConfigureAwait(false);
                token.ThrowIfCancellationRequested();
                foreach (var (index, wait) in active.Where(a => a.Value.IsCompleted).ToList())
                {
                    active.Remove(index);
                    await TakeVerdictAsync(_suite.Drills[index], await wait.ConfigureAwait(false), token).ConfigureAwait(false);
                }

                if (!await SaveAsync(token).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // Whatever the stop surfaced as: an OperationCanceledException, or an agent call cut short (a gRPC
            // Cancelled, DeadlineExceeded or Unavailable while the API shuts down).
            if (!_halt.IsCancellationRequested)
            {
                // This replica stops: the lease is released so the next replica resumes at once (drills keep running).
                await ReleaseAsync().ConfigureAwait(false);
            }

            SuitesLog.Released(logger, SuiteId, _halt.IsCancellationRequested ? "cancelled" : "replica stopping");
            return null;
        }
        catch (SuiteRecordRefusedException refused)
        {
            // Every later save would be refused too (resumed elsewhere, the same): the suite ends here.
            return await EndRefusedAsync(refused).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Picks up the record's drills: those running are waited for. An entry "starting" (its runner stopped, or lost its
    /// lease, between that save and the drill id's) is looked up by the drill id fixed before that save: a record of
    /// that id is followed (running), none is returned to be started again under the same id. An entry "starting"
    /// without a drill id (written by a version before fixed ids) is looked up as then: the drill carrying the suite's id
    /// on its node, else it is pending again.
    /// </summary>
    private async Task<List<SuiteDrill>> ResumeAsync(Dictionary<int, Task<DrillRecord?>> active, CancellationToken token)
    {
        var restart = new List<SuiteDrill>();
        var starting = _suite.Drills.Where(d => d.State == SuiteState.Starting).ToList();
        foreach (var entry in starting.Where(d => d.DrillId is not null))
        {
            if (await drillStore.GetAsync(entry.DrillId!, token).ConfigureAwait(false) is not { } stored)
            {
                restart.Add(entry);
                continue;
            }

            entry.FaultId = stored.Drill.FaultId;
            entry.State = SuiteState.Running;
            _suite.Add(new SuiteEvent("drill_started", time.GetUtcNow(), entry.Index, entry.Name, entry.NodeName, entry.DrillId, SuiteState.Running, null));
        }

        var unnamed = starting.Where(d => d.DrillId is null).ToList();
        if (unnamed.Count > 0)
        {
            // The replica stopped between recording "starting" and the drill's id: the drill carries the suite's id.
            var known = _suite.Drills.Select(d => d.DrillId).Where(id => id is not null).ToHashSet(StringComparer.Ordinal);
            var ours = (await drills.ListAsync(null, token).ConfigureAwait(false)).Where(d => d.SuiteId == SuiteId && !known.Contains(d.DrillId)).ToList();
            foreach (var entry in unnamed)
            {
                var drill = ours.FirstOrDefault(d => d.NodeName == entry.NodeName);
                if (drill is null)
                {
                    entry.State = SuiteState.Pending;
                    entry.StartedAt = null;
                    continue;
                }

                ours.Remove(drill);
                entry.DrillId = drill.DrillId;
                entry.FaultId = drill.FaultId;
                entry.State = SuiteState.Running;
                _suite.Add(new SuiteEvent("drill_started", time.GetUtcNow(), entry.Index, entry.Name, entry.NodeName, drill.DrillId, SuiteState.Running, null));
            }
        }

        foreach (var entry in _suite.Drills.Where(d => d.State == SuiteState.Running && d.DrillId is not null))
        {
            active[entry.Index] = WaitForVerdictAsync(entry.DrillId!, token);
        }

        return restart;
    }

    /// <summary>Starts pending drills while the concurrency allows and their node is free; false when the record was taken away.</summary>
    private async Task<bool> StartWhatMayStartAsync(Dictionary<int, Task<DrillRecord?>> active, CancellationToken token)
    {
        while (!StopsScheduling && active.Count < _suite.Concurrency)
        {
            var busy = active.Keys.Select(i => _suite.Drills[i].NodeName).ToHashSet(StringComparer.Ordinal);
            var now = time.GetUtcNow();
            var next = _suite.Drills.FirstOrDefault(d => d.State == SuiteState.Pending && !busy.Contains(d.NodeName)
                && !(_startRetries.TryGetValue(d.Index, out var retry) && retry.Next > now));
            if (next is null)
            {
                return true;
            }

            // Its drill's id is fixed before "starting" is saved, so whoever resumes the suite finds the drill by it.
            next.State = SuiteState.Starting;
            next.StartedAt = time.GetUtcNow();
            next.DrillId = FixedDrillId(SuiteId, next.Index);
            if (!await SaveAsync(token).ConfigureAwait(false) || !await StartEntryAsync(next, active, token).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The drill id of entry <paramref name="index"/> of suite <paramref name="suiteId"/>: 16 lower-case hex digits of
    /// SHA-256 over both, the same in every replica, so every start of the entry (its runner's, a resuming replica's)
    /// creates, or adopts, the one record of that id.
    /// </summary>
    public static string FixedDrillId(string suiteId, int index) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{suiteId}/{index}"))))[..16];

    /// <summary>
    /// Starts (or adopts, <see cref="DrillService.StartForSuiteAsync"/>) the drill of <paramref name="next"/>, recorded as
    /// starting under its fixed id, and saves the outcome; false when the record was taken away. A drill started here
    /// whose suite record was then changed elsewhere is cancelled only when no runner will follow it: the suite ended
    /// (cancelled) or is gone, or its entry names another drill or ended. A replica that took the suite over has the
    /// entry under the same id and follows the drill.
    /// </summary>
    private async Task<bool> StartEntryAsync(SuiteDrill next, Dictionary<int, Task<DrillRecord?>> active, CancellationToken token)
    {
        DrillRecord? drill = null;
        try
        {
            (drill, _) = await drills.StartForSuiteAsync(next.ToDrillBody(), _suite.Caller, SuiteId, next.DrillId!, token).ConfigureAwait(false);
            next.DrillId = drill.DrillId;
            next.FaultId = drill.FaultId;
            next.InjectedAt = drill.InjectedAt;
            next.Line = drill.Line;
            next.State = SuiteState.Running;
            next.Reason = null;
            _suite.Add(new SuiteEvent("drill_started", time.GetUtcNow(), next.Index, next.Name, next.NodeName, drill.DrillId, SuiteState.Running, null));
            active[next.Index] = WaitForVerdictAsync(drill.DrillId, token);
            _startRetries.Remove(next.Index);
        }
        catch (ApiProblemException problem) when (!token.IsCancellationRequested && problem.Type == DrillInjectionOutcome.UnknownType
            && problem.Extensions.TryGetValue("drill_id", out var kept) && kept is string keptId)
        {
            // The agent's answer to the injection was lost: the drill is kept, unconfirmed, for a replica to confirm
            // and follow (or fail naming why). The suite waits for its verdict like any other.
            _startRetries.Remove(next.Index);
            next.DrillId = keptId;
            next.FaultId = problem.Extensions.TryGetValue("fault_id", out var faultId) ? faultId as string : null;
            next.State = SuiteState.Running;
            _suite.Add(new SuiteEvent("drill_started", time.GetUtcNow(), next.Index, next.Name, next.NodeName, keptId, SuiteState.Running, problem.Message));
            active[next.Index] = WaitForVerdictAsync(keptId, token);
        }
        catch (ApiProblemException problem) when (!token.IsCancellationRequested && problem.Status == StatusCodes.Status503ServiceUnavailable
            && NotReadyYet.Contains(problem.Title) && RetryStartLater(next, problem))
        {
            // Nothing was started (routing or the watches not synced yet, e.g. a resumed suite on a new replica): the
            // drill stays pending and is started again after a backoff.
        }
        catch (ApiProblemException problem) when (!token.IsCancellationRequested && problem.Status == StatusCodes.Status409Conflict
            && problem.Title == DrillService.StartRacedTitle && RetryStartLater(next, problem))
        {
            // Another start of this entry's drill id stored its record and removed it again (refused, nothing injected)
            // while this one started: nothing was injected, and the race says nothing of the drill. Started again under
            // the same id after a backoff: it runs once, or its own refusal ends the entry.
        }
        catch (ApiProblemException problem) when (!token.IsCancellationRequested)
        {
            _startRetries.Remove(next.Index);
            next.State = SuiteState.Error;
            next.DrillId = null;
            next.Reason = $"{problem.Title}: {problem.Message}";
            next.EndedAt = time.GetUtcNow();
            _suite.Add(new SuiteEvent("drill_ended", next.EndedAt.Value, next.Index, next.Name, next.NodeName, null, next.State, next.Reason));
            SuitesLog.DrillEnded(logger, SuiteId, next.Index, next.Name, next.NodeName, next.State, next.Reason);
        }

        if (!await SaveAsync(token).ConfigureAwait(false))
        {
            if (drill is not null && await UnfollowedBecauseAsync(next.Index, drill.DrillId).ConfigureAwait(false) is { } why)
            {
                // Cancelled, or no longer scheduling, while this drill started: it must not run on unwatched.
                var ended = await drills.CancelAsync(drill.DrillId, why, CancellationToken.None).ConfigureAwait(false);
                next.Take(ended);
                await cleaner.ClearAsync(SuiteId, next, _suite.Caller, CancellationToken.None).ConfigureAwait(false);
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// Why no runner follows drill <paramref name="drillId"/> of entry <paramref name="index"/> now that the suite's record
    /// was changed elsewhere, or null when one does: a replica that took the suite over follows it (the entry running
    /// under that id) or starts it under that id (pending or starting, while the record lets drills start; its start
    /// adopts the record). When the record starts no further drill (<see cref="SuiteStop"/>) the new holder skips a
    /// pending entry, and one recorded starting whose drill it did not find: the drill is cancelled with that stop.
    /// </summary>
    private async Task<string?> UnfollowedBecauseAsync(int index, string drillId)
    {
        var current = await store.GetAsync(SuiteId, CancellationToken.None).ConfigureAwait(false);
        var entry = current is { Suite.IsFinal: false } && index < current.Suite.Drills.Count ? current.Suite.Drills[index] : null;
        var stop = current is null ? null : SuiteStop.EndedBy(current.Suite);
        var followed = (entry is { State: SuiteState.Pending or SuiteState.Starting } && stop is null)
            || (entry is { State: SuiteState.Running } && entry.DrillId == drillId);
        if (followed)
        {
            SuitesLog.LeftToNewHolder(logger, SuiteId, index, drillId, current!.Holder);
            return null;
        }

        return entry is { State: SuiteState.Pending or SuiteState.Starting } && stop is not null
            ? $"suite {SuiteId} starts no further drill ({stop.Reason}) and this drill started meanwhile"
            : $"suite {SuiteId} ended while the drill started";
    }

    /// <summary>
    /// Puts <paramref name="entry"/> back to pending to be started again after a backoff (0.5 s doubling to 5 s), while
    /// within its drill's timeout from the first 503; false once that passed (the entry ends as an error).
    /// </summary>
    private bool RetryStartLater(SuiteDrill entry, ApiProblemException problem)
    {
        var now = time.GetUtcNow();
        var retry = _startRetries.TryGetValue(entry.Index, out var known)
            ? known
            : (Next: now, Until: now + (entry.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : defaultDrillTimeout), Attempts: 0);
        if (now >= retry.Until)
        {
            return false;
        }

        var backoff = TimeSpan.FromMilliseconds(Math.Min(5000, 500 << Math.Min(retry.Attempts, 4)));
        _startRetries[entry.Index] = (now + backoff, retry.Until, retry.Attempts + 1);
        entry.State = SuiteState.Pending;
        entry.StartedAt = null;
        entry.DrillId = null;
        entry.Reason = $"waiting to start: {problem.Title} ({problem.Message}); trying again until {retry.Until:O}";
        SuitesLog.StartRetried(logger, SuiteId, entry.Index, entry.Name, entry.NodeName, problem.Title, backoff);
        return true;
    }

    private async Task TakeVerdictAsync(SuiteDrill entry, DrillRecord? drill, CancellationToken token)
    {
        if (drill is null)
        {
            entry.State = SuiteState.Error;
            entry.Reason = $"the record of drill {entry.DrillId} was deleted before its verdict";
            entry.EndedAt = time.GetUtcNow();
        }
        else
        {
            entry.Take(drill);
        }

        await cleaner.ClearAsync(SuiteId, entry, _suite.Caller, token).ConfigureAwait(false);
        _suite.Add(new SuiteEvent("drill_ended", time.GetUtcNow(), entry.Index, entry.Name, entry.NodeName, entry.DrillId, entry.State, entry.Reason));
        SuitesLog.DrillEnded(logger, SuiteId, entry.Index, entry.Name, entry.NodeName, entry.State, entry.Reason);
    }

    private async Task<SuiteRecord?> EndAsync(CancellationToken token)
    {
        // How the suite's drills end it (SuiteStop.EndedBy, as a runner resuming the record would have it): a refused
        // save (failed) over a cancel from outside (cancelled), each the first by its drill's end, over a failure under
        // stop_on_failure, whose suite reason counts the drills that did not pass. Pending drills are left only by a stop.
        var stop = SuiteStop.EndedBy(_suite);
        foreach (var entry in _suite.Drills.Where(d => d.State == SuiteState.Pending))
        {
            entry.State = SuiteState.Skipped;
            entry.Reason = $"not started: {stop?.Reason ?? "the suite ended"}";
        }

        var endedBy = stop is { ByFailure: false } ? stop : null;
        var notPassed = _suite.Drills.Count(d => d.State != SuiteState.Passed);
        _suite.State = endedBy?.State ?? (notPassed == 0 ? SuiteState.Passed : SuiteState.Failed);
        _suite.Reason = endedBy?.Reason ?? (notPassed == 0
            ? $"all {_suite.Drills.Count} drills passed"
            : $"{notPassed} of {_suite.Drills.Count} drills did not pass: {string.Join("; ", _suite.Drills.Where(d => d.State != SuiteState.Passed).Select(d => $"{d.Name} on {d.NodeName} {d.State.JsonName()}"))}");
        _suite.EndedAt = time.GetUtcNow();
        _suite.Add(new SuiteEvent("suite_ended", _suite.EndedAt.Value, null, _suite.Name, null, null, _suite.State, _suite.Reason));
        if (!await SaveAsync(token).ConfigureAwait(false))
        {
            return null;
        }

        SuitesLog.Ended(logger, SuiteId, _suite.State, _suite.Reason);
        return _suite;
    }

    /// <summary>Waits for the drill's verdict by watching its record (any replica may follow the drill); null if the record is gone.</summary>
    private async Task<DrillRecord?> WaitForVerdictAsync(string drillId, CancellationToken token)
    {
        while (true)
        {
            var current = await drillStore.GetAsync(drillId, token).ConfigureAwait(false);
            if (current is null || current.Drill.IsFinal)
            {
                return current?.Drill;
            }

            try
            {
                await foreach (var (type, drill) in drillStore.WatchAsync(drillId, current.ResourceVersion, _ => { }, routing.WatchTimeoutSeconds, token).ConfigureAwait(false))
                {
                    if (type == WatchEventType.Deleted)
                    {
                        return null;
                    }

                    if (drill is { Drill.IsFinal: true })
                    {
                        return drill.Drill;
                    }
                }
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
            {
            }
        }
    }

    /// <summary>
    /// Ends the suite whose save the API server refused (<see cref="SuiteRecordRefusedException"/>): its running drills
    /// cancelled and their faults cleared as a normal end clears them, the pending ones skipped, the suite failed with a
    /// reason naming the refusal (a suite that had its verdict already keeps it). Then its end is written as large as the
    /// server takes it (<see cref="SuiteEndRecording"/>); when none can be written, <see cref="EndNotRecorded"/> says so
    /// and the suite is returned all the same.
    /// </summary>
    private async Task<SuiteRecord?> EndRefusedAsync(SuiteRecordRefusedException refused)
    {
        var why = $"{SuiteRecordRefusedException.EndReason}: {refused.Message}";
        SuitesLog.SaveRefused(logger, SuiteId, refused.Message);
        if (!_suite.IsFinal)
        {
            foreach (var entry in _suite.Drills.Where(d => d.State is SuiteState.Running or SuiteState.Starting))
            {
                if (entry.DrillId is null || (entry.State == SuiteState.Starting && !await DrillStoredAsync(entry.DrillId).ConfigureAwait(false)))
                {
                    // Recorded as starting, never started (its save was the one refused).
                    entry.State = SuiteState.Skipped;
                    entry.Reason = $"not started: {why}";
                    continue;
                }

                try
                {
                    entry.Take(await drills.CancelAsync(entry.DrillId, why, CancellationToken.None).ConfigureAwait(false));
                }
#pragma warning disable CA1031 // One drill that cannot be cancelled must not keep the others running; it is named in its entry.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    entry.State = SuiteState.Error;
                    entry.Reason = $"{why}; cancelling drill {entry.DrillId} failed: {ex.Message}";
                    entry.EndedAt = time.GetUtcNow();
                }

                await cleaner.ClearAsync(SuiteId, entry, _suite.Caller, CancellationToken.None).ConfigureAwait(false);
                _suite.Add(new SuiteEvent("drill_ended", time.GetUtcNow(), entry.Index, entry.Name, entry.NodeName, entry.DrillId, entry.State, entry.Reason));
                SuitesLog.DrillEnded(logger, SuiteId, entry.Index, entry.Name, entry.NodeName, entry.State, entry.Reason);
            }

            foreach (var entry in _suite.Drills.Where(d => d.State == SuiteState.Pending))
            {
                entry.State = SuiteState.Skipped;
                entry.Reason = $"not started: {why}";
            }

            _suite.State = SuiteState.Failed;
            _suite.Reason = why;
            _suite.EndedAt = time.GetUtcNow();
            _suite.Add(new SuiteEvent("suite_ended", _suite.EndedAt.Value, null, _suite.Name, null, null, _suite.State, _suite.Reason));
        }

        var (version, changedElsewhere, error) = await SuiteEndRecording.WriteAsync(store, _stored, _suite, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        if (changedElsewhere)
        {
            // Someone else wrote it meanwhile (a cancel): that end stands.
            SuitesLog.Released(logger, SuiteId, "its record was changed elsewhere (cancelled, or taken over)");
            return null;
        }

        if (version is not null)
        {
            SuitesLog.EndRecorded(logger, SuiteId, _suite.State, version);
        }
        else
        {
            EndNotRecorded = error ?? refused.Message;
            SuitesLog.EndNotRecorded(logger, SuiteId, _suite.State, _suite.Reason, EndNotRecorded);
        }

        SuitesLog.Ended(logger, SuiteId, _suite.State, _suite.Reason);
        return _suite;
    }

    /// <summary>Whether drill <paramref name="drillId"/> has a record (one that cannot be read counts as stored: it is cancelled, or named).</summary>
    private async Task<bool> DrillStoredAsync(string drillId)
    {
        try
        {
            return await drillStore.GetAsync(drillId, CancellationToken.None).ConfigureAwait(false) is not null;
        }
#pragma warning disable CA1031 // Unknown is treated as stored: its cancel is attempted and a failure named in the entry.
        catch (Exception)
#pragma warning restore CA1031
        {
            return true;
        }
    }

    /// <summary>
    /// Saves the suite over the version read (renewing the lease); false when the record changed elsewhere or is gone.
    /// A write the API server refuses for what it holds is a <see cref="SuiteRecordRefusedException"/>.
    /// </summary>
    private async Task<bool> SaveAsync(CancellationToken token)
    {
        StoredSuite? saved;
        try
        {
            saved = await store.ReplaceAsync(_stored, _suite, identity, time.GetUtcNow(), token).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (StoreRefusal.Is(ex))
        {
            throw new SuiteRecordRefusedException($"the Kubernetes API refused it ({StoreRefusal.Describe(ex)})", ex);
        }

        if (saved is null)
        {
            SuitesLog.Released(logger, SuiteId, "its record was changed elsewhere (cancelled, or taken over)");
            return false;
        }

        _stored = saved;
        return true;
    }

    private async Task ReleaseAsync()
    {
        try
        {
            await store.ReplaceAsync(_stored, _suite, null, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: without the release the lease expires and the suite is resumed a little later.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
