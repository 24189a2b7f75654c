using FaultApi.Agents;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
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
/// </summary>
public sealed class EmergencyStopCoordinator : IEmergencyStopSignal, IDisposable
{
    public const string ReconcilerCaller = "emergency-stop-reconciler";

    /// <summary>Compare-and-swap attempts of one change; each lost one means another writer came in between.</summary>
    public const int MaxWriteAttempts = 10;

    /// <summary>How many times a change is written again above agents holding a state that wins over it.</summary>
    private const int MaxRewrites = 3;

    private readonly IStopStateStore _store;
    private readonly IAgentDirectory _directory;
    private readonly AgentGateway _agents;
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
        var written = await WriteAsync(_ => (change, 0), CancellationToken.None).ConfigureAwait(false)
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
        var copies = await PushAsync(_directory.GetAll(), written.State, CancellationToken.None).ConfigureAwait(false);
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
                || await TryWriteStoreAsync(written.State with { Version = version }, written.Revision, CancellationToken.None).ConfigureAwait(false) is not { } again)
            {
                break;
            }

            written = new Written(written.State with { Version = version }, again);
            notify |= SetCurrent(written.State);
            copies = await PushAsync(_directory.GetAll(), written.State, CancellationToken.None).ConfigureAwait(false);
        }

        if (notify)
        {
            await NotifyAsync(written.State, CancellationToken.None).ConfigureAwait(false);
        }

        // 200 only while the cluster holds what was asked for; a change that came after this one is named instead.
        var (stored, invalid) = await ReadValidatedOrNullAsync().ConfigureAwait(false);
        if (invalid is not null || (stored is not null && stored.Version != written.State.Version))
        {
            throw ChangedMeanwhile(written.State, stored, invalid);
        }

        return Resource(written.State, copies);
    }

    /// <summary>The cluster's state (read now) and each agent's copy of it (asked now).</summary>
    public async Task<StopResource> DescribeAsync(CancellationToken cancellationToken)
    {
        await RefreshFromStoreAsync(cancellationToken).ConfigureAwait(false);
        var current = Current;
        var copies = await AskAgentsAsync(_directory.GetAll(), current, cancellationToken).ConfigureAwait(false);
        return Resource(current, copies);
    }

    /// <summary>
    /// One reconciliation pass: re-reads the cluster's state; asks every agent for its copy; when an agent holds a state that
    /// wins over the cluster's (or the store lost or garbled it), writes the cluster's state again above it — adopting an
    /// agent's newer engaged state when the cluster is released (a stop is never lost, an agent can never release the
    /// cluster); then pushes the state to every agent that does not hold it.
    /// </summary>
    public async Task<IReadOnlyList<AgentStopAcknowledgement>> ReconcileAsync(CancellationToken cancellationToken)
    {
        StoredStopState? stored = null;
        var readable = true;
        try
        {
            stored = await _store.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StopStateStoreException e)
        {
            StopLog.StoreUnreadable(_logger, e);
            readable = false;
        }

        var valid = Validate(stored, _timeProvider.GetUtcNow(), out var invalid);
        if (invalid is not null)
        {
            StopLog.StoredInvalid(_logger, invalid);
        }
        else if (readable)
        {
            await AdoptAsync(valid ?? StopState.Never, cancellationToken).ConfigureAwait(false);
        }

        var agents = _directory.GetAll();
        var copies = await AskAgentsAsync(agents, Current, cancellationToken).ConfigureAwait(false);
        if (readable && IsKnown)
        {
            await RepairAsync(copies, cancellationToken).ConfigureAwait(false);
        }

        var current = Current;
        if (!IsKnown || current.Version == 0)
        {
            return [.. copies.Select(c => c.Ack)];
        }

        var behind = copies.Where(c => c.Held is not { } held || held.Version != current.Version || held.Engaged != current.Engaged).Select(c => c.Agent).ToList();
        var pushed = behind.Count == 0 ? [] : await PushAsync(behind, current, cancellationToken).ConfigureAwait(false);
        var acknowledgements = copies.Where(c => !behind.Contains(c.Agent)).Select(c => Acknowledgement(c.Agent.NodeName, current, c.Response, null)).ToList();
        acknowledgements.AddRange(pushed.Select(p => p.Ack));
        return acknowledgements;
    }

    public void Dispose() => _stopped.Dispose();

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

    private static ApiProblemException InvalidState(string why) =>
        new(503, "Emergency stop state invalid", $"The stored emergency stop is not valid: {why}. Injections are refused until the stop is engaged or released again (POST or DELETE /api/v1/stop), which replaces it.");

    private static ApiProblemException ChangedMeanwhile(StopState asked, StopState? stored, string? invalid) => new(
        StatusCodes.Status409Conflict,
        "Emergency stop changed meanwhile",
        $"This request {(asked.Engaged ? "engaged" : "released")} the stop (version {asked.Version}) and told the agents, but the cluster now holds "
        + (stored is null ? $"no valid state ({invalid ?? "none is stored"})" : $"another state: {stored.Describe()}")
        + ". Read GET /api/v1/stop and repeat the request if it still applies.",
        extensions: new Dictionary<string, object?>
        {
            ["stored_state"] = stored is null ? null : StoredStateExtension(stored),
            ["asked_version"] = asked.Version,
        });

    private static ApiProblemException TooManyConflicts(StoredStopState? stored) => new(
        StatusCodes.Status409Conflict,
        "Emergency stop busy",
        $"The stop state kept changing under this request ({MaxWriteAttempts} writes lost to other writers); nothing was changed by it. "
        + $"The cluster holds {(stored?.State is { } state ? state.Describe() : "no valid state")}. Read GET /api/v1/stop and repeat the request if it still applies.",
        extensions: new Dictionary<string, object?> { ["stored_state"] = stored?.State is { } s ? StoredStateExtension(s) : null });

    private static Dictionary<string, object?> StoredStateExtension(StopState state) => new()
    {
        ["engaged"] = state.Engaged,
        ["changed_by"] = state.ChangedBy,
        ["changed_at"] = state.ChangedAt,
        ["reason"] = state.Reason,
        ["version"] = state.Version,
    };

    /// <summary>The stored state when it is valid; null with <paramref name="invalid"/> set when it is not (null, null: none stored).</summary>
    private static StopState? Validate(StoredStopState? stored, DateTimeOffset now, out string? invalid)
    {
        invalid = null;
        if (stored is null)
        {
            return null;
        }

        if (stored.State is not { } state)
        {
            invalid = stored.Invalid ?? "it cannot be parsed";
            return null;
        }

        if (!StopState.IsVersionAcceptable(state.Version, now))
        {
            invalid = $"its version {state.Version} is not between 1 and one day ahead of this replica's clock ({StopState.MaxVersionAt(now)})";
            return null;
        }

        return state;
    }

    private async Task RefreshFromStoreAsync(CancellationToken cancellationToken)
    {
        var stored = await ReadStoreAsync(cancellationToken).ConfigureAwait(false);
        var valid = Validate(stored, _timeProvider.GetUtcNow(), out var invalid);
        if (invalid is not null)
        {
            StopLog.StoredInvalid(_logger, invalid);
            throw InvalidState(invalid);
        }

        await AdoptAsync(valid ?? StopState.Never, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredStopState?> ReadStoreAsync(CancellationToken cancellationToken)
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

    private async Task<(StopState? State, string? Invalid)> ReadValidatedOrNullAsync()
    {
        try
        {
            var stored = await _store.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            var state = Validate(stored, _timeProvider.GetUtcNow(), out var invalid);
            return (state, invalid);
        }
        catch (StopStateStoreException e)
        {
            // The write went through; only the check after it could not be made.
            StopLog.StoreUnreadable(_logger, e);
            return (null, null);
        }
    }

    private async Task<string?> TryWriteStoreAsync(StopState state, string? expectedRevision, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.TryWriteAsync(state, expectedRevision, cancellationToken).ConfigureAwait(false);
        }
        catch (StopStateStoreException e)
        {
            throw Unavailable(e);
        }
    }

    /// <summary>
    /// Compare-and-swap: reads the store, asks <paramref name="decide"/> what to write over the valid state stored (null
    /// when none or an invalid one is stored; return null to write nothing) and above which version, gives it the next
    /// version — above the stored one, this replica's and that floor, at most a day ahead of the clock — and writes it over
    /// the revision read. A lost race reads again.
    /// </summary>
    private async Task<Written?> WriteAsync(Func<StopState?, (StopState Content, long Floor)?> decide, CancellationToken cancellationToken)
    {
        StoredStopState? stored = null;
        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            stored = await ReadStoreAsync(cancellationToken).ConfigureAwait(false);
            var now = _timeProvider.GetUtcNow();
            var valid = Validate(stored, now, out var invalid);
            if (invalid is not null)
            {
                StopLog.OverwritingInvalid(_logger, invalid);
            }

            if (decide(valid) is not var (content, floor))
            {
                return null;
            }

            var previous = Math.Max(Math.Max(valid?.Version ?? 0, Current.Version), floor);
            var version = StopState.NextVersion(previous, now)
                ?? throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "Emergency stop version out of bounds", $"The next stop version after {previous} would be more than a day ahead of this replica's clock; check the clocks of the API and the agents.");
            var next = content with { Version = version };
            if (await TryWriteStoreAsync(next, stored?.Revision, cancellationToken).ConfigureAwait(false) is { } revision)
            {
                return new Written(next, revision);
            }

            StopLog.WriteConflict(_logger, attempt);
        }

        throw TooManyConflicts(stored);
    }

    /// <summary>
    /// The reconciler's repair: when an agent holds a state that wins over the cluster's, or the store lost the state, holds
    /// an older one or an invalid one, the cluster's state is written again above every such agent — or, when the cluster is
    /// released and such an agent holds an engaged state, that stop is adopted. Decided again on every fresh read of the
    /// store, so a change another replica (or this one) just made is never overwritten.
    /// </summary>
    private async Task RepairAsync(IReadOnlyList<AgentCopy> copies, CancellationToken cancellationToken)
    {
        var held = copies.Where(c => c.Held is not null).Select(c => c.Held!).ToList();
        try
        {
            var written = await WriteAsync(
                stored =>
                {
                    var current = Current;
                    if (stored is not null && stored.Supersedes(current))
                    {
                        // A newer change (another replica's): that is the cluster's state; adopted below.
                        return null;
                    }

                    var cluster = stored ?? current;
                    var ahead = held.Where(h => h.Supersedes(cluster)).ToList();
                    var lost = current.Version > 0 && (stored is null || current.Supersedes(stored));
                    if (ahead.Count == 0 && !lost)
                    {
                        return null;
                    }

                    var adopt = cluster.Engaged ? null : ahead.Where(h => h.Engaged).MaxBy(h => h.Version);
                    var floor = ahead.Select(h => h.Version).DefaultIfEmpty(0).Max();
                    return ((adopt ?? (lost ? current : cluster)) with { Version = 0 }, floor);
                },
                cancellationToken).ConfigureAwait(false);
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

    private async Task NotifyAsync(StopState state, CancellationToken cancellationToken)
    {
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

    private async Task<List<AgentCopy>> AskAgentsAsync(IReadOnlyList<AgentEndpoint> agents, StopState expected, CancellationToken cancellationToken)
    {
        var gathered = await _agents.GatherAsync(agents, (agent, ct) => _agents.GetEmergencyStopAsync(agent, ReconcilerCaller, ct), cancellationToken).ConfigureAwait(false);
        return [.. gathered.Outcomes.Select(o => Copy(o.Agent, expected, o.Response, o.Error))];
    }

    private async Task<List<AgentCopy>> PushAsync(IReadOnlyList<AgentEndpoint> agents, StopState state, CancellationToken cancellationToken)
    {
        var held = new EmergencyStopState
        {
            Engaged = state.Engaged,
            ChangedBy = state.ChangedBy,
            ChangedAt = Timestamp.FromDateTimeOffset(state.ChangedAt),
            Reason = state.Reason,
            Version = state.Version,
        };
        var caller = string.IsNullOrEmpty(state.ChangedBy) ? ReconcilerCaller : state.ChangedBy;
        var gathered = await _agents.GatherAsync(agents, (agent, ct) => _agents.SetEmergencyStopAsync(agent, held, caller, ct), cancellationToken).ConfigureAwait(false);
        var copies = new List<AgentCopy>(gathered.Outcomes.Count);
        foreach (var outcome in gathered.Outcomes)
        {
            var copy = Copy(outcome.Agent, state, outcome.Response, outcome.Error);
            if (copy.Ack.Acknowledged)
            {
                StopLog.Pushed(_logger, copy.Ack.NodeName, state.Version);
            }
            else
            {
                StopLog.PushFailed(_logger, copy.Ack.NodeName, state.Version, copy.Ack.Error ?? $"it holds version {copy.Ack.Version}");
            }

            copies.Add(copy);
        }

        return copies;
    }

    private AgentCopy Copy(AgentEndpoint agent, StopState expected, EmergencyStopState? held, NodeError? error)
    {
        StopState? state = null;
        if (held is not null)
        {
            if (held.Version == 0 || StopState.IsVersionAcceptable(held.Version, _timeProvider.GetUtcNow()))
            {
                state = new StopState(held.Engaged, held.ChangedBy, held.ChangedAt?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch, held.Reason, held.Version);
            }
            else
            {
                StopLog.AgentVersionOutOfBounds(_logger, agent.NodeName, held.Version);
            }
        }

        return new AgentCopy(agent, Acknowledgement(agent.NodeName, expected, held, error), state, held);
    }

    private static AgentStopAcknowledgement Acknowledgement(string nodeName, StopState expected, EmergencyStopState? held, NodeError? error) =>
        held is null
            ? new AgentStopAcknowledgement(nodeName, false, null, null, error?.Message ?? "no answer")
            : new AgentStopAcknowledgement(
                nodeName,
                held.Version == expected.Version && held.Engaged == expected.Engaged,
                held.Engaged,
                held.Version,
                null,
                held.Engaged ? held.ExpiringFaults : 0,
                string.IsNullOrEmpty(held.ExpiryError) ? null : held.ExpiryError);

    private static StopResource Resource(StopState state, IEnumerable<AgentCopy> copies)
    {
        var acknowledgements = copies.Select(c => c.Ack).OrderBy(a => a.NodeName, StringComparer.Ordinal).ToList();
        return new StopResource(
            state.Engaged,
            state.ChangedBy,
            state.Version == 0 ? null : state.ChangedAt,
            state.Reason,
            state.Version,
            acknowledgements,
            [.. acknowledgements.Where(a => a.Engaged == true && a.ExpiringFaults > 0).Select(a => a.NodeName)]);
    }

    /// <summary>A state this replica wrote, with the store's revision after the write.</summary>
    private sealed record Written(StopState State, string Revision);

    /// <summary>One agent's answer: the acknowledgement, its state (null when it did not answer or its version is out of bounds) and the raw answer.</summary>
    private sealed record AgentCopy(AgentEndpoint Agent, AgentStopAcknowledgement Ack, StopState? Held, EmergencyStopState? Response);
}
