using FaultApi.Agents;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace FaultApi.EmergencyStop;

/// <summary>
/// The cluster-wide emergency stop as this replica runs it. Engaging or releasing writes the state to the cluster store
/// first (<see cref="IStopStateStore"/>: every replica agrees, it survives restarts), then pushes it to every agent
/// (<c>SetEmergencyStop</c>, which persists it on the node and, engaged, expires every active fault); agents that miss it
/// are retried by <see cref="EmergencyStopReconciler"/>. Versions only grow, so a late push can never undo a newer change.
/// Until the state was read once, or when it cannot be read, injections are refused (the API cannot confirm the stop is released).
/// </summary>
public sealed class EmergencyStopCoordinator : IEmergencyStopSignal, IDisposable
{
    public const string ReconcilerCaller = "emergency-stop-reconciler";

    private readonly IStopStateStore _store;
    private readonly IAgentDirectory _directory;
    private readonly AgentCaller _agents;
    private readonly IEnumerable<IEmergencyStopListener> _listeners;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<EmergencyStopCoordinator> _logger;
    private readonly SemaphoreSlim _changeGate = new(1, 1);
    private readonly Lock _lock = new();
    private StopState _current = StopState.Never;
    private bool _known;
    private CancellationTokenSource _stopped = new();

    public EmergencyStopCoordinator(
        IStopStateStore store,
        IAgentDirectory directory,
        AgentCaller agents,
        IEnumerable<IEmergencyStopListener> listeners,
        TimeProvider timeProvider,
        ILogger<EmergencyStopCoordinator> logger)
    {
        _store = store;
        _directory = directory;
        _agents = agents;
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
            throw EngagedProblem(current);
        }
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
    /// a store that cannot be read refuses with 503.
    /// </summary>
    public Task RefreshAsync(CancellationToken cancellationToken) => RefreshFromStoreAsync(cancellationToken);

    /// <summary>Engages (or releases) the stop for the whole cluster; returns the state with every agent's acknowledgement.</summary>
    public async Task<StopResource> ChangeAsync(bool engage, string changedBy, string reason, CancellationToken cancellationToken)
    {
        await _changeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await ReadStoreAsync(cancellationToken).ConfigureAwait(false);
            var previous = Math.Max(Current.Version, stored?.Version ?? 0);
            var now = _timeProvider.GetUtcNow();
            var next = new StopState(engage, changedBy, now, reason, StopState.NextVersion(previous, now));
            StopState written;
            try
            {
                written = await _store.WriteAsync(next, cancellationToken).ConfigureAwait(false);
            }
            catch (StopStateStoreException e)
            {
                throw Unavailable(e);
            }

            await AdoptAsync(written, cancellationToken).ConfigureAwait(false);
            if (written.Engaged)
            {
                StopLog.Engaged(_logger, written.ChangedBy, written.Version, written.Reason);
            }
            else
            {
                StopLog.Released(_logger, written.ChangedBy, written.Version);
            }

            var acknowledgements = await PushAsync(_directory.GetAll(), written, cancellationToken).ConfigureAwait(false);
            return Resource(written, acknowledgements);
        }
        finally
        {
            _changeGate.Release();
        }
    }

    /// <summary>The state and each agent's copy of it (asked now).</summary>
    public async Task<StopResource> DescribeAsync(CancellationToken cancellationToken)
    {
        await EnsureKnownAsync(cancellationToken).ConfigureAwait(false);
        var current = Current;
        var outcomes = await _agents.GatherAsync(_directory.GetAll(), ReconcilerCaller, (c, o) => c.GetEmergencyStopAsync(new GetEmergencyStopRequest(), o), cancellationToken).ConfigureAwait(false);
        return Resource(current, [.. outcomes.Select(o => Acknowledgement(o.Agent.NodeName, current, o.Response, o.Error))]);
    }

    /// <summary>
    /// One reconciliation pass: re-reads the cluster's state, asks every agent for its copy (adopting a newer one an agent
    /// holds, e.g. when the store was lost), and pushes the state to every agent that does not hold it.
    /// </summary>
    public async Task<IReadOnlyList<AgentStopAcknowledgement>> ReconcileAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshFromStoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ApiProblemException e)
        {
            StopLog.StoreUnreadable(_logger, e);
        }

        var agents = _directory.GetAll();
        var outcomes = await _agents.GatherAsync(agents, ReconcilerCaller, (c, o) => c.GetEmergencyStopAsync(new GetEmergencyStopRequest(), o), cancellationToken).ConfigureAwait(false);
        var newest = outcomes.Where(o => o.Response is not null).Select(o => o.Response!).MaxBy(r => r.Version);
        if (newest is not null && newest.Version > Current.Version)
        {
            var adopted = new StopState(newest.Engaged, newest.ChangedBy, newest.ChangedAt?.ToDateTimeOffset() ?? _timeProvider.GetUtcNow(), newest.Reason, newest.Version);
            await AdoptAsync(adopted, cancellationToken).ConfigureAwait(false);
            try
            {
                await _store.WriteAsync(adopted, cancellationToken).ConfigureAwait(false);
            }
            catch (StopStateStoreException e)
            {
                StopLog.StoreUnreadable(_logger, e);
            }
        }

        var current = Current;
        if (!IsKnown || current.Version == 0)
        {
            return [.. outcomes.Select(o => Acknowledgement(o.Agent.NodeName, current, o.Response, o.Error))];
        }

        var behind = outcomes.Where(o => o.Response is null || o.Response.Version != current.Version || o.Response.Engaged != current.Engaged).Select(o => o.Agent).ToList();
        var pushed = behind.Count == 0 ? [] : await PushAsync(behind, current, cancellationToken).ConfigureAwait(false);
        return
        [
            .. outcomes.Where(o => !behind.Contains(o.Agent)).Select(o => Acknowledgement(o.Agent.NodeName, current, o.Response, o.Error)),
            .. pushed,
        ];
    }

    public void Dispose()
    {
        _changeGate.Dispose();
        _stopped.Dispose();
    }

    internal static ApiProblemException EngagedProblem(StopState state) => new(
        423,
        "Emergency stop engaged",
        $"Emergency stop engaged by {state.ChangedBy} at {state.ChangedAt:O}" + (string.IsNullOrEmpty(state.Reason) ? "" : $": {state.Reason}") + ". Every injection is refused until it is released (DELETE /api/v1/stop); nothing was written.",
        extensions: new Dictionary<string, object?>
        {
            ["stopped_by"] = state.ChangedBy,
            ["stopped_at"] = state.ChangedAt,
            ["reason"] = state.Reason,
        });

    private static ApiProblemException Unavailable(StopStateStoreException e) =>
        new(503, "Emergency stop state unavailable", $"{e.Message}. Injections are refused until the stop state can be confirmed.", innerException: e);

    private async Task RefreshFromStoreAsync(CancellationToken cancellationToken)
    {
        var stored = await ReadStoreAsync(cancellationToken).ConfigureAwait(false);
        await AdoptAsync(stored ?? StopState.Never, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StopState?> ReadStoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _store.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StopStateStoreException e)
        {
            throw Unavailable(e);
        }
    }

    /// <summary>Takes <paramref name="state"/> when it is newer (or the first known); tells the listeners of a newly engaged stop.</summary>
    private async Task AdoptAsync(StopState state, CancellationToken cancellationToken)
    {
        bool notify;
        lock (_lock)
        {
            if (_known && state.Version <= _current.Version)
            {
                return;
            }

            var wasEngagedVersion = _current.Engaged ? _current.Version : -1;
            _current = state;
            _known = true;
            notify = state.Engaged && state.Version != wasEngagedVersion;
            if (state.Engaged)
            {
                _stopped.Cancel();
            }
            else if (_stopped.IsCancellationRequested)
            {
                _stopped.Dispose();
                _stopped = new CancellationTokenSource();
            }
        }

        if (!notify)
        {
            return;
        }

        foreach (var listener in _listeners)
        {
            try
            {
                await listener.OnEmergencyStopAsync(state, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                StopLog.ListenerFailed(_logger, e);
            }
        }
    }

    private async Task<List<AgentStopAcknowledgement>> PushAsync(IReadOnlyList<AgentEndpoint> agents, StopState state, CancellationToken cancellationToken)
    {
        var request = new SetEmergencyStopRequest
        {
            State = new EmergencyStopState
            {
                Engaged = state.Engaged,
                ChangedBy = state.ChangedBy,
                ChangedAt = Timestamp.FromDateTimeOffset(state.ChangedAt),
                Reason = state.Reason,
                Version = state.Version,
            },
        };
        var caller = string.IsNullOrEmpty(state.ChangedBy) ? ReconcilerCaller : state.ChangedBy;
        var outcomes = await _agents.GatherAsync(agents, caller, (c, o) => c.SetEmergencyStopAsync(request, o), cancellationToken).ConfigureAwait(false);
        var acknowledgements = new List<AgentStopAcknowledgement>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            var ack = Acknowledgement(outcome.Agent.NodeName, state, outcome.Response, outcome.Error);
            if (ack.Acknowledged)
            {
                StopLog.Pushed(_logger, ack.NodeName, state.Version);
            }
            else
            {
                StopLog.PushFailed(_logger, ack.NodeName, state.Version, ack.Error ?? $"it holds version {ack.Version}");
            }

            acknowledgements.Add(ack);
        }

        return acknowledgements;
    }

    private static AgentStopAcknowledgement Acknowledgement(string nodeName, StopState expected, EmergencyStopState? held, NodeError? error) =>
        held is null
            ? new AgentStopAcknowledgement(nodeName, false, null, null, error?.Message ?? "no answer")
            : new AgentStopAcknowledgement(nodeName, held.Version == expected.Version && held.Engaged == expected.Engaged, held.Engaged, held.Version, null);

    private static StopResource Resource(StopState state, IReadOnlyList<AgentStopAcknowledgement> acknowledgements) =>
        new(state.Engaged, state.ChangedBy, state.Version == 0 ? null : state.ChangedAt, state.Reason, state.Version, [.. acknowledgements.OrderBy(a => a.NodeName, StringComparer.Ordinal)]);
}
