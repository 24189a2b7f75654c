using FaultApi.Agents;
using FaultApi.Problems;
using FaultApi.Routing;
using Microsoft.Extensions.Logging;

namespace FaultApi.EmergencyStop;

/// <summary>
/// The cluster-wide emergency stop as this replica runs it. Engaging or releasing writes the state to the cluster store
/// (<see cref="IStopStateStore"/>: every replica agrees, it survives restarts) by compare-and-swap — the version is the
/// next one after what the store holds, so concurrent changes through different replicas are ordered, never lost —
/// then pushes it to every agent (<c>SetEmergencyStop</c>, which persists it on the node and, engaged, expires every
/// active fault), and only then tells the listeners (drills). An agent that holds a state winning over the one written
/// (someone with the agent token, or a lost store) gets the change again above it. The answer is the state only while
/// the store still holds it; else a 409 names what it holds. Agents that missed a change are retried by
/// <see cref="EmergencyStopReconciler"/>. Until the state was read once, or when it cannot be read or is not valid (e.g. a
/// version more than a day ahead), injections are refused: the API cannot confirm the stop is released.
/// No lock is held across a call to the store or an agent: a hung agent cannot hold up another change.
/// This type holds the state in memory and orders each change; the store's read, validation and compare-and-swap write
/// are <see cref="ClusterStopState"/>'s, the calls to the agents <see cref="AgentStopPropagation"/>'s, the problems
/// <see cref="StopProblems"/>'s and the reconciler's decision <see cref="StopRepair"/>'s.
/// </summary>
public sealed class EmergencyStopCoordinator : IEmergencyStopSignal, IDisposable
{
    /// <summary>How many times a change is written again above agents holding a state that wins over it.</summary>
    private const int MaxRewrites = 3;

    private readonly ClusterStopState _cluster;
    private readonly IAgentDirectory _directory;
    private readonly AgentStopPropagation _agents;
    private readonly IEnumerable<IEmergencyStopListener> _listeners;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<EmergencyStopCoordinator> _logger;
    private readonly Lock _lock = new();
    private StopState _current = StopState.Never;
    private bool _known;
    private CancellationTokenSource _stopped = new();

    public EmergencyStopCoordinator(
        IStopStateStore store,
        IAgentDirectory directory,
        AgentGateway agents,
        IEnumerable<IEmergencyStopListener> listeners,
        TimeProvider timeProvider,
        ILogger<EmergencyStopCoordinator> logger)
    {
        // Both parts log as this coordinator: one log category for the whole stop, as before they were split out.
        _cluster = new ClusterStopState(store, timeProvider, logger);
        _directory = directory;
        _agents = new AgentStopPropagation(agents, timeProvider, logger);
        _listeners = listeners;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public StopState Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public bool IsKnown
    {
        get
        {
            lock (_lock)
            {
                return _known;
            }
        }
    }

    public CancellationToken StoppedToken
    {
        get
        {
            lock (_lock)
            {
                return _stopped.Token;
            }
        }
    }

    public void ThrowIfEngaged()
    {
        var current = Current;
        if (current.Engaged)
        {
            throw StopProblems.Engaged(current);
        }
    }

    /// <summary>The released state in force (the one an injection just re-read); 423 when it is engaged.</summary>
    public StopState RequireReleased()
    {
        var current = Current;
        return current.Engaged ? throw StopProblems.Engaged(current) : current;
    }

    /// <summary>
    /// Confirms <paramref name="agent"/>'s stop state for an injection it refused as unconfirmed (it started since an API
    /// last pushed to it): pushes <paramref name="released"/>, the cluster's state this injection just re-read, and returns
    /// what the agent holds after it (the caller retries the injection once).
    /// </summary>
    /// <exception cref="ApiProblemException">503 naming the node when the push failed; nothing was written.</exception>
    public async Task<StopState?> ConfirmAgentAsync(AgentEndpoint agent, StopState released, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(released);
        var copy = (await _agents.PushAsync([agent], released, cancellationToken).ConfigureAwait(false)).Single();
        return copy.Ack.Error is { } error ? throw StopProblems.ConfirmFailed(agent.NodeName, released, error) : copy.Held;
    }

    /// <summary>Reads the cluster's state unless it is known; a store that cannot be read refuses with 503.</summary>
    public async Task EnsureKnownAsync(CancellationToken cancellationToken)
    {
        if (IsKnown)
        {
            return;
        }

        await RefreshFromStoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Re-reads the cluster's state (each injection does, so a stop engaged through another replica counts at once);
    /// a store that cannot be read, or holds no valid state, refuses with 503.
    /// </summary>
    public Task RefreshAsync(CancellationToken cancellationToken) => RefreshFromStoreAsync(cancellationToken);

    /// <summary>
    /// Engages (or releases) the stop for the whole cluster; returns the state with every agent's acknowledgement.
    /// <paramref name="cancellationToken"/> is honoured until the write starts; from then on the change, its push to the
    /// agents and the listeners run to the end even if the caller goes away (each call has its own deadline).
    /// </summary>
    /// <exception cref="ApiProblemException">409 when the store holds another state than the one asked for by the time
    /// this change was pushed (the problem names it); 503 when the store cannot be read or written.</exception>
    public async Task<StopResource> ChangeAsync(bool engage, string changedBy, string reason, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var change = new StopState(engage, changedBy, _timeProvider.GetUtcNow(), reason, 0);
        var written = await _cluster.WriteAsync(_ => (change, 0), () => Current.Version, CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A change always has something to write.");
        var notify = SetCurrent(written.State);
        if (written.State.Engaged)
        {
            StopLog.Engaged(_logger, written.State.ChangedBy, written.State.Version, written.State.Reason);
        }
        else
        {
            StopLog.Released(_logger, written.State.ChangedBy, written.State.Version);
        }

        // The agents first: nothing after this point (a listener, the caller going away) can keep them from the change.
        var copies = await _agents.PushAsync(_directory.GetAll(), written.State, CancellationToken.None).ConfigureAwait(false);
        for (var rewrite = 0; rewrite < MaxRewrites; rewrite++)
        {
            var ahead = copies.Where(c => c.Held is { } held && held.Supersedes(written.State)).Select(c => c.Held!.Version).DefaultIfEmpty(0).Max();
            if (ahead == 0)
            {
                break;
            }

            // An agent holds a state that wins over this change (set with the agent token, or left from a lost store): write
            // the change again above it — over this change's own revision only, so a newer change by anyone else still wins.
            StopLog.AgentAhead(_logger, ahead, written.State.Version);
            if (StopState.NextVersion(ahead, _timeProvider.GetUtcNow()) is not { } version
                || await _cluster.TryWriteAsync(written.State with { Version = version }, written.Revision, CancellationToken.None).ConfigureAwait(false) is not { } again)
            {
                break;
            }

            written = new WrittenStopState(written.State with { Version = version }, again);
            notify |= SetCurrent(written.State);
            copies = await _agents.PushAsync(_directory.GetAll(), written.State, CancellationToken.None).ConfigureAwait(false);
        }

        // Then the listeners: every running drill and suite is attempted before the answer.
        IReadOnlyList<StopCancellationOutcome> cancellations = notify ? await NotifyAsync(written.State, CancellationToken.None).ConfigureAwait(false) : [];

        // 200 only while the cluster holds what was asked for; a change that came after this one is named instead.
        var (stored, invalid) = await _cluster.ReadValidatedOrNullAsync().ConfigureAwait(false);
        if (invalid is not null || (stored is not null && stored.Version != written.State.Version))
        {
            throw StopProblems.ChangedMeanwhile(written.State, stored, invalid);
        }

        return AgentStopPropagation.Resource(written.State, copies).With(cancellations);
    }

    /// <summary>The cluster's state (read now) and each agent's copy of it (asked now).</summary>
    public async Task<StopResource> DescribeAsync(CancellationToken cancellationToken)
    {
        await RefreshFromStoreAsync(cancellationToken).ConfigureAwait(false);
        var current = Current;
        var copies = await _agents.AskAsync(_directory.GetAll(), current, cancellationToken).ConfigureAwait(false);
        return AgentStopPropagation.Resource(current, copies);
    }

    /// <summary>
    /// One reconciliation pass: re-reads the cluster's state; asks every agent for its copy; when an agent holds a state that
    /// wins over the cluster's (or the store lost or garbled it), writes the cluster's state again above it — adopting an
    /// agent's newer engaged state when the cluster is released (a stop is never lost, an agent can never release the
    /// cluster); then pushes the state to every agent that does not hold it.
    /// </summary>
    public async Task<IReadOnlyList<AgentStopAcknowledgement>> ReconcileAsync(CancellationToken cancellationToken)
    {
        var (readable, valid, invalid) = await _cluster.ReadForReconcileAsync(cancellationToken).ConfigureAwait(false);
        if (invalid is null && readable)
        {
            await AdoptAsync(valid ?? StopState.Never, cancellationToken).ConfigureAwait(false);
        }

        var agents = _directory.GetAll();
        var copies = await _agents.AskAsync(agents, Current, cancellationToken).ConfigureAwait(false);
        if (readable && IsKnown)
        {
            await RepairAsync(copies, cancellationToken).ConfigureAwait(false);
        }

        var current = Current;
        if (!IsKnown)
        {
            return [.. copies.Select(c => c.Ack)];
        }

        // Behind: an agent that does not hold the cluster's state — and, after a fresh read of the store, one that holds it
        // unconfirmed (it started since an API last pushed to it, and refuses real injections until this push). The state
        // of a cluster whose stop was never engaged (version 0) goes only to agents that answered: it changes nothing on them.
        var fresh = readable && invalid is null;
        var behind = copies.Where(c => c.Held is { } held
                ? held.Version != current.Version || held.Engaged != current.Engaged || (fresh && c.Response?.Confirmed == false)
                : current.Version != 0 || (fresh && c.Response is not null))
            .Select(c => c.Agent).ToList();
        var pushed = behind.Count == 0 ? [] : await _agents.PushAsync(behind, current, cancellationToken).ConfigureAwait(false);
        var acknowledgements = copies.Where(c => !behind.Contains(c.Agent)).Select(c => AgentStopPropagation.Acknowledgement(c.Agent.NodeName, current, c.Response, null)).ToList();
        acknowledgements.AddRange(pushed.Select(p => p.Ack));
        return acknowledgements;
    }

    public void Dispose() => _stopped.Dispose();

    private async Task RefreshFromStoreAsync(CancellationToken cancellationToken)
    {
        var valid = await _cluster.ReadValidAsync(cancellationToken).ConfigureAwait(false);
        await AdoptAsync(valid ?? StopState.Never, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The reconciler's repair: when an agent holds a state that wins over the cluster's, or the store lost the state, holds
    /// an older one or an invalid one, the cluster's state is written again above every such agent — or, when the cluster is
    /// released and such an agent holds an engaged state, that stop is adopted (<see cref="StopRepair"/>). Decided again on
    /// every fresh read of the store, so a change another replica (or this one) just made is never overwritten.
    /// </summary>
    private async Task RepairAsync(IReadOnlyList<AgentStopCopy> copies, CancellationToken cancellationToken)
    {
        var held = copies.Where(c => c.Held is not null).Select(c => c.Held!).ToList();
        try
        {
            var written = await _cluster.WriteAsync(stored => StopRepair.Decide(stored, Current, held), () => Current.Version, cancellationToken).ConfigureAwait(false);
            if (written is null)
            {
                await RefreshFromStoreAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            StopLog.Repaired(_logger, written.State.Version, written.State.Engaged);
            if (SetCurrent(written.State))
            {
                await NotifyAsync(written.State, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ApiProblemException e)
        {
            StopLog.RepairFailed(_logger, e);
        }
    }

    /// <summary>Takes <paramref name="state"/> when it wins over the current one (or is the first known); tells the listeners of a newly engaged stop.</summary>
    private async Task AdoptAsync(StopState state, CancellationToken cancellationToken)
    {
        if (SetCurrent(state))
        {
            await NotifyAsync(state, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes <paramref name="state"/> in memory when it wins (or is the first known); true when the listeners are to be told.</summary>
    private bool SetCurrent(StopState state)
    {
        lock (_lock)
        {
            if (_known && !state.Supersedes(_current))
            {
                return false;
            }

            var wasEngagedVersion = _current.Engaged ? _current.Version : -1;
            _current = state;
            _known = true;
            if (state.Engaged)
            {
                _stopped.Cancel();
            }
            else if (_stopped.IsCancellationRequested)
            {
                _stopped.Dispose();
                _stopped = new CancellationTokenSource();
            }

            return state.Engaged && state.Version != wasEngagedVersion;
        }
    }

    /// <summary>
    /// Tells every listener, one after the other; returns their outcomes. A listener that throws (it should name its
    /// failures in its outcomes) is logged and the next one is told all the same; only this call's own cancellation ends it.
    /// </summary>
    private async Task<IReadOnlyList<StopCancellationOutcome>> NotifyAsync(StopState state, CancellationToken cancellationToken)
    {
        var outcomes = new List<StopCancellationOutcome>();
        foreach (var listener in _listeners)
        {
            try
            {
                outcomes.AddRange(await listener.OnEmergencyStopAsync(state, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Also a timeout (an OperationCanceledException this call did not ask for).
                StopLog.ListenerFailed(_logger, e);
            }
        }

        return outcomes;
    }
}
