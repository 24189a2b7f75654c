using System.Globalization;
using FaultApi.Routing;
using FaultApi.Storage;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FaultApi.Drills;

/// <summary>
/// Follows one running drill in this replica: watches the node and its pods (<see cref="DrillWatches"/>), judges every
/// change with <see cref="DrillProgress"/>, saves each new step to the drill's ConfigMap (<see cref="DrillLease"/>,
/// renewing this replica's lease on it), and ends the drill when every expectation is met (passed), at its deadline
/// (failed, naming what never happened), or when cancelled. A write that finds the record changed by someone else (a cancel from another replica, a lost lease) stops
/// the following without overwriting.
/// </summary>
public sealed class DrillFollower : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _leaseDuration;
    private readonly DrillWatches _watches;
    private readonly DrillLease _lease;
    private readonly Lock _judge = new();
    private readonly DrillRecord _drill;
    private string? _cancelReason;
    private string? _notInjectedReason;
    private DrillRecord? _asStored;
    private volatile bool _unsaved;

    public DrillFollower(StoredDrill stored, DrillStore store, IKubernetes client, RoutingOptions routing, TimeSpan leaseDuration, string identity, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(stored);
        _drill = stored.Drill;
        _time = time;
        _logger = logger;
        _leaseDuration = leaseDuration;
        _lease = new DrillLease(stored, store, identity, leaseDuration, time, logger);
        _watches = new DrillWatches(client, stored.Drill.NodeName, routing, time, logger);
        _watches.Changed += Judge;
    }

    public string DrillId => _lease.DrillId;

    /// <summary>The node as last seen (null before the first list, or if it is gone).</summary>
    public V1Node? Node => _watches.Node;

    public IReadOnlyList<V1Pod> Pods => _watches.Pods;

    /// <summary>Starts both watches and waits until both listed once (false after <paramref name="timeout"/>).</summary>
    public Task<bool> StartWatchingAsync(TimeSpan timeout, CancellationToken cancellationToken) => _watches.StartAsync(timeout, cancellationToken);

    /// <summary>
    /// Before the injection: records the baseline and starts judging, with the API's clock as a provisional t0, so a
    /// monitor that reacts before the agent's answer arrives is not missed. Until <see cref="Confirm"/>, the record as
    /// stored (<see cref="SaveArmedAsync"/>, the lease renewals, a release) carries the baseline but no t0: a replica
    /// that resumes the drill from it knows the injection was not confirmed and compares with that baseline.
    /// </summary>
    public void Arm(DrillBaseline baseline, DateTimeOffset provisionalInjection, DateTimeOffset deadline)
    {
        lock (_judge)
        {
            _drill.Baseline = baseline;
            _drill.InjectedAt = null;
            _drill.Deadline = null;
            _asStored = Clone(_drill);
            _drill.InjectedAt = provisionalInjection;
            _drill.Deadline = deadline;
        }
    }

    /// <summary>After <see cref="Arm"/>, before the injection goes out: saves the baseline (no t0) so a replica resuming the drill has it.</summary>
    public async Task SaveArmedAsync()
    {
        DrillRecord asStored;
        lock (_judge)
        {
            asStored = Clone(_asStored ?? _drill);
        }

        // Not saved (the Kubernetes API failing, a cancel meanwhile): the lease renewals and the save after the injection find it.
        await SaveAsync(asStored, _time.GetUtcNow()).ConfigureAwait(false);
    }

    /// <summary>
    /// While the injection runs (after <see cref="Arm"/>, until <paramref name="injecting"/> is cancelled): renews this
    /// replica's lease every third of the lease, writing the record as it was stored (not the provisional t0), so no
    /// replica, this one included, takes over a drill whose injection is still under way however long the agent takes
    /// (four dcgmi runs for a DCGM surface). Ends early if someone else changed the record (a cancel): the save after the
    /// injection then finds that too. Never throws.
    /// </summary>
    public async Task HoldLeaseAsync(CancellationToken injecting)
    {
        DrillRecord asStored;
        lock (_judge)
        {
            asStored = Clone(_asStored ?? _drill);
        }

        await _lease.HoldAsync(asStored, injecting).ConfigureAwait(false);
    }

    /// <summary>After the injection: the agent's proof (<paramref name="fill"/>, which adds the <c>injected</c> step) and the real t0; steps seen meanwhile are re-timed against it.</summary>
    public void Confirm(DateTimeOffset injectedAt, Action<DrillRecord> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        lock (_judge)
        {
            var earlier = _drill.Steps.ToList();
            _drill.Steps.Clear();
            _drill.InjectedAt = injectedAt;
            fill(_drill);
            foreach (var step in earlier)
            {
                _drill.Steps.Add(step with { SecondsSinceInjection = Math.Max(0, (step.ObservedAt - injectedAt).TotalSeconds) });
            }

            _asStored = null;
            _unsaved = true;
        }

        Signal();
    }

    /// <summary>
    /// Instead of <see cref="Confirm"/>: nothing was injected and nothing will be (the agent refused, or the injection of
    /// a resumed drill could not be confirmed in its time); <see cref="RunAsync"/> ends the drill failed with
    /// <paramref name="reason"/>, with no steps.
    /// </summary>
    public void NotInjected(string reason)
    {
        lock (_judge)
        {
            _drill.InjectedAt = null;
            _drill.Deadline = null;
            _drill.Steps.Clear();
            _asStored = null;
            _notInjectedReason = reason;
        }

        Signal();
    }

    /// <summary>Saves the record now (before <see cref="RunAsync"/> starts); returns it.</summary>
    public async Task<DrillRecord> SaveNowAsync()
    {
        DrillRecord drill;
        lock (_judge)
        {
            drill = Clone(_drill);
        }

        // Not saved (the Kubernetes API failing, a cancel meanwhile): the loop retries or stops as it would later.
        await SaveAsync(drill, _time.GetUtcNow()).ConfigureAwait(false);
        return drill;
    }

    /// <summary>Asks the drill to end as cancelled; <see cref="RunAsync"/> writes it and returns.</summary>
    public void Cancel(string reason)
    {
        Volatile.Write(ref _cancelReason, reason);
        Signal();
    }

    /// <summary>Follows until the drill ends (returns its final record) or <paramref name="stopping"/> (releases the lease; returns null).</summary>
    public async Task<DrillRecord?> RunAsync(CancellationToken stopping)
    {
        var nextRenewal = DateTimeOffset.MinValue;
        while (true)
        {
            var now = _time.GetUtcNow();
            DrillRecord drill;
            int added;
            lock (_judge)
            {
                added = Observe(now);
                drill = Clone(_drill);
            }

            if (stopping.IsCancellationRequested)
            {
                await ReleaseAsync("the API is stopping; lease released").ConfigureAwait(false);
                return null;
            }

            if (Volatile.Read(ref _cancelReason) is { } reason)
            {
                return await FinishAsync(DrillState.Cancelled, reason).ConfigureAwait(false);
            }

            if (Volatile.Read(ref _notInjectedReason) is { } notInjected)
            {
                return await FinishAsync(DrillState.Failed, notInjected).ConfigureAwait(false);
            }

            if (drill.InjectedAt is null)
            {
                return await FinishAsync(DrillState.Failed, "The injection was never confirmed; nothing was measured.").ConfigureAwait(false);
            }

            if (drill.Missing.Count == 0)
            {
                return await FinishAsync(DrillState.Passed, "Every expectation was observed.").ConfigureAwait(false);
            }

            if (drill.Deadline is { } deadline && now >= deadline)
            {
                return await FinishAsync(
                    DrillState.Failed,
                    $"Timed out after {drill.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s; never observed: {string.Join(", ", drill.Missing)}.").ConfigureAwait(false);
            }

            if (added > 0 || _unsaved || now >= nextRenewal)
            {
                var saved = await SaveAsync(drill, now).ConfigureAwait(false);
                if (saved is null)
                {
                    return null;
                }

                nextRenewal = now + (saved.Value ? _leaseDuration / 3 : TimeSpan.FromSeconds(1));
            }

            var wake = drill.Deadline is { } d && d < nextRenewal ? d : nextRenewal;
            try
            {
                await _watches.WaitAsync(wake - now, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
        }
    }

    public ValueTask DisposeAsync() => _watches.DisposeAsync();

    private void Signal() => _watches.Signal();

    /// <summary>Judges every watch event as it lands (so a state the node passes through quickly is not missed), then wakes the loop to save.</summary>
    private void Judge()
    {
        lock (_judge)
        {
            if (Observe(_time.GetUtcNow()) > 0)
            {
                _unsaved = true;
            }
        }

        Signal();
    }

    /// <summary>Under <see cref="_judge"/>: appends the steps met now to the live record.</summary>
    private int Observe(DateTimeOffset now)
    {
        // Until both watches listed, a missing pod only means "not listed yet" (it would pass a drain falsely).
        if (_drill.IsFinal || _drill.InjectedAt is null || !_watches.HaveSynced)
        {
            return 0;
        }

        var added = DrillProgress.Observe(_drill, Node, Pods, now);
        foreach (var step in added)
        {
            DrillsLog.Step(_logger, _drill.DrillId, step.Step, step.SecondsSinceInjection);
        }

        return added.Count;
    }

    private static DrillRecord Clone(DrillRecord drill) =>
        System.Text.Json.JsonSerializer.Deserialize<DrillRecord>(System.Text.Json.JsonSerializer.Serialize(drill, RecordJson.Options), RecordJson.Options)!;

    /// <summary>true: saved; false: failed, retry soon; null: someone else changed the record (cancelled, taken over, deleted): stop following.</summary>
    private async Task<bool?> SaveAsync(DrillRecord drill, DateTimeOffset now)
    {
        _unsaved = false;
        var saved = await _lease.SaveAsync(drill, now).ConfigureAwait(false);
        if (saved is false)
        {
            _unsaved = true;
        }

        return saved;
    }

    private async Task<DrillRecord?> FinishAsync(DrillState state, string reason)
    {
        DrillRecord drill;
        lock (_judge)
        {
            _drill.State = state;
            _drill.Reason = reason;
            _drill.EndedAt = _time.GetUtcNow();
            drill = Clone(_drill);
        }

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var saved = await SaveAsync(drill, drill.EndedAt!.Value).ConfigureAwait(false);
            if (saved is null)
            {
                return await _lease.ReadAsync().ConfigureAwait(false);
            }

            if (saved.Value)
            {
                DrillsLog.Ended(_logger, drill.DrillId, state, reason);
                return drill;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), _time).ConfigureAwait(false);
        }

        return drill;
    }

    /// <summary>
    /// On shutdown (or when this replica cannot go on with the drill): gives the lease up at once so another replica (or
    /// this one restarted) resumes without waiting for it to expire. An injection not confirmed yet is released as
    /// stored (the baseline, no t0), so the one resuming confirms it first.
    /// </summary>
    public async Task ReleaseAsync(string why)
    {
        DrillRecord drill;
        lock (_judge)
        {
            drill = Clone(_asStored ?? _drill);
        }

        await _lease.ReleaseAsync(drill, why).ConfigureAwait(false);
    }
}
