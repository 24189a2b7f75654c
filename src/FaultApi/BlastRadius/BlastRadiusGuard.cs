using System.Globalization;
using FaultApi.Agents;
using FaultApi.Faults;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Storage;
using FaultInjection.Agent.V1;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.BlastRadius;

/// <summary>
/// The blast-radius guard (<c>Safety:MaxFaultedNodes</c>, <c>Safety:MaxFaultedNodeFraction</c>) and the targets of
/// multi-node requests. GPU nodes are every node with an agent pod, ready or not, plus every node the ledger still
/// records; a node counts as faulted when its agent answers that it has open faults, when its agent does not answer or
/// has no ready pod (unknown counts as faulted), or when the ledger holds an injection on it still in flight through any
/// replica. The check and the reservation of the targets are one compare-and-swap write of the ledger
/// (<see cref="IBlastRadiusLedgerStore"/>), so two injections through any replicas cannot both pass on a stale count; no
/// lock is held across a call to an agent or the store. A multi-node request with an Idempotency-Key records the nodes it
/// picked, and its retries reuse them instead of picking again from the nodes ready now.
/// </summary>
public sealed class BlastRadiusGuard(
    AgentRouter router,
    AgentGateway agents,
    IBlastRadiusLedgerStore store,
    IOptions<BlastRadiusOptions> safety,
    IOptions<AgentsOptions> agentsOptions,
    TimeProvider timeProvider,
    ILogger<BlastRadiusGuard> logger)
{
    /// <summary>Compare-and-swap attempts of one plan; each lost one means another injection wrote the ledger in between.</summary>
    public const int MaxWriteAttempts = 16;

    /// <summary>Multi-node target records kept at most (the oldest are dropped first).</summary>
    public const int MaxTargetRecords = 1000;

    /// <summary>
    /// The most the multi-node target records may take of the ledger's JSON, about (the oldest are dropped first; the newest
    /// is always kept). A record holds every node its request picked (up to 5,000 names of up to 253 characters), so 1,000
    /// of them could outgrow the 1 MiB a ConfigMap may hold, and then every later write of the ledger failed (503).
    /// </summary>
    public const int MaxTargetBytes = 256 * 1024;

    /// <summary>Added to the agent call's deadline: how long a reservation counts as in flight.</summary>
    public static readonly TimeSpan InFlightMargin = TimeSpan.FromSeconds(10);

    private TimeSpan InFlight => TimeSpan.FromSeconds(agentsOptions.Value.CallTimeoutSeconds) + InFlightMargin;

    /// <summary>True when a limit is configured (a node count, or a fraction below 1): then every injection is checked and reserved.</summary>
    private bool Limited => safety.Value.MaxFaultedNodes is not null || safety.Value.MaxFaultedNodeFraction < 1.0;

    /// <summary>
    /// The nodes to inject on — the recorded ones for a retry of a multi-node request, else <paramref name="pick"/>() — after
    /// the blast-radius check, with their reservations (and the multi-node request's record) written to the ledger.
    /// </summary>
    /// <param name="target">The request's target (selector and count are checked against a recorded request).</param>
    /// <param name="caller">Who asks (the ledger's request id and the agents' calls).</param>
    /// <param name="requestKey">The request's key (the Idempotency-Key when <see cref="InjectionTarget.CallerKey"/>).</param>
    /// <param name="pick">Picks the nodes now (validates, 404/503/409 as for a first call).</param>
    /// <param name="cancellationToken">The request's.</param>
    /// <exception cref="ApiProblemException">409 beyond the limit or for a key reused with another selector; 503 when the ledger cannot be used.</exception>
    public async Task<InjectionPlan> PlanAsync(InjectionTarget target, string caller, string requestKey, Func<IReadOnlyList<string>> pick, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(pick);
        var requestId = target.CallerKey && !string.IsNullOrWhiteSpace(target.NodeSelector) ? IdempotencyKeys.ForRequest(caller, requestKey) : null;
        if (!Limited && requestId is null)
        {
            return new InjectionPlan(pick(), Reserved: false, Recorded: false);
        }

        // This call's own id on its reservations: another call with the same key (a caller's retry through any replica)
        // may be on its way to the agent at the same time, and this call's refusal must not free that one's place.
        var callId = Guid.NewGuid().ToString("N");
        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var (ledger, revision) = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var now = timeProvider.GetUtcNow();
            var changed = Maintain(ledger, now, live: null);
            var recorded = requestId is not null && ledger.Requests.TryGetValue(requestId, out var record) ? Verify(record, target, requestKey) : null;
            var nodes = recorded ?? pick();
            if (requestId is not null && recorded is null)
            {
                ledger.Requests[requestId] = new TargetRecord(target.NodeSelector!, target.Count ?? 1, nodes, now);
                DropTargets(ledger, now);
                changed = true;
            }

            var reserved = false;
            if (Limited && Limit(ledger) is { } limit)
            {
                // Asked after this read of the ledger, in every attempt, never kept from an earlier one: an answer taken
                // before the read may predate an injection another request reserved, wrote and settled since (the
                // ledger then holds it as settled, and that answer would free its node). Taken after the read, an agent's
                // "no open fault" for a node the ledger holds as settled is true: the fault was recorded before the settle.
                var live = await AskAgentsAsync(caller, cancellationToken).ConfigureAwait(false);
                changed |= Maintain(ledger, now, live);
                Check(ledger, nodes, caller, requestKey, limit, live, now);
                foreach (var node in nodes)
                {
                    var key = IdempotencyKeys.ForNode(caller, requestKey, node);
                    var reservations = ledger.Nodes.TryGetValue(node, out var list) ? list : ledger.Nodes[node] = [];
                    // An earlier call's settled reservation with this key gives way; one still in flight stays: it is
                    // freed or settled by its own call's answer, whatever this call's is.
                    reservations.RemoveAll(r => r.Key == key && (r.Settled || now - r.At >= InFlight));
                    reservations.Add(new NodeReservation(key, now, target.Duration is { } d ? now + d : null, Attempt: callId));
                }

                reserved = changed = true;
            }

            if (!changed || await TryWriteAsync(ledger, revision, cancellationToken).ConfigureAwait(false) is not null)
            {
                return new InjectionPlan(nodes, reserved, recorded is not null, reserved ? callId : null);
            }

            BlastRadiusLog.LedgerConflict(logger, attempt);
        }

        throw new ApiProblemException(
            StatusCodes.Status503ServiceUnavailable,
            "Blast-radius ledger busy",
            $"The blast-radius ledger kept changing under this request ({MaxWriteAttempts} writes lost to other injections); nothing was injected. Retry.",
            extensions: new Dictionary<string, object?> { ["retry_after_seconds"] = 1 });
    }

    /// <summary>
    /// Checks that faulting every one of <paramref name="nodes"/> together, on top of the nodes faulted now, stays within
    /// the limit (409 naming it otherwise); reserves nothing. A suite calls it before its first injection, so a suite that
    /// would exceed the limit is refused whole; each of its injections is then checked and reserved as usual.
    /// </summary>
    public async Task CheckAllAsync(IReadOnlyCollection<string> nodes, string caller, string requestKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (!Limited)
        {
            return;
        }

        var (ledger, _) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (Limit(ledger) is not { } limit)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        var live = await AskAgentsAsync(caller, cancellationToken).ConfigureAwait(false);
        Maintain(ledger, now, live);
        Check(ledger, [.. nodes], caller, requestKey, limit, live, now);
    }

    /// <summary>
    /// After the agents answered: the reservations of <paramref name="injected"/> are settled (the agent's record counts
    /// from now on, so clearing the fault frees the node at once), those of <paramref name="refused"/> (nothing was
    /// written there) are dropped. Nodes whose outcome is unknown keep theirs in flight until the deadline passes. Best
    /// effort: a failure is logged, and the reservations then settle on their own. A refusal drops only
    /// <paramref name="plan"/>'s own reservation: another call with the same key may still be on its way to the agent
    /// (a caller's retry through another replica), and it may write. An injected node settles every reservation with its
    /// key: the agent recorded a fault under that key, so no call carrying it can write there again.
    /// </summary>
    public async Task CompleteAsync(InjectionPlan plan, string caller, string requestKey, IReadOnlyCollection<string> injected, IReadOnlyCollection<string> refused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(injected);
        ArgumentNullException.ThrowIfNull(refused);
        if (injected.Count == 0 && refused.Count == 0)
        {
            return;
        }

        try
        {
            for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
            {
                var (ledger, revision) = await ReadAsync(cancellationToken).ConfigureAwait(false);
                var changed = false;
                foreach (var node in injected.Concat(refused))
                {
                    var key = IdempotencyKeys.ForNode(caller, requestKey, node);
                    if (!ledger.Nodes.TryGetValue(node, out var list))
                    {
                        continue;
                    }

                    var dropping = refused.Contains(node);
                    for (var i = list.Count - 1; i >= 0; i--)
                    {
                        if (list[i].Key != key || (dropping && list[i].Attempt != plan.Attempt))
                        {
                            continue;
                        }

                        changed = true;
                        if (dropping)
                        {
                            list.RemoveAt(i);
                        }
                        else
                        {
                            list[i] = list[i] with { Settled = true };
                        }
                    }

                    if (list.Count == 0)
                    {
                        ledger.Nodes.Remove(node);
                    }
                }

                if (!changed || await TryWriteAsync(ledger, revision, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return;
                }
            }
        }
        catch (ApiProblemException e)
        {
            BlastRadiusLog.CompleteFailed(logger, string.Join(',', injected.Concat(refused)), e);
        }
    }

    private static IReadOnlyList<string> Verify(TargetRecord record, InjectionTarget target, string requestKey)
    {
        if (record.Selector == target.NodeSelector && record.Count == (target.Count ?? 1))
        {
            return record.Nodes;
        }

        throw new ApiProblemException(
            StatusCodes.Status409Conflict,
            "Idempotency-Key reused",
            $"Idempotency-Key '{requestKey}' was first used with node_selector '{record.Selector}' and count {record.Count.ToString(CultureInfo.InvariantCulture)} (nodes {string.Join(", ", record.Nodes)}); a retry must repeat the same request.",
            new Dictionary<string, string[]> { [IdempotencyKeys.HeaderName] = ["was used for a different node_selector or count"] },
            new Dictionary<string, object?> { ["recorded_nodes"] = record.Nodes });
    }

    /// <summary>The GPU nodes (agent pods, ready or not, and nodes the ledger still records) and the limit over them; null when the limit cannot be reached.</summary>
    private (IReadOnlyCollection<string> GpuNodes, int Limit)? Limit(BlastRadiusLedger ledger)
    {
        var gpuNodes = new HashSet<string>(router.Directory.AgentNodes, StringComparer.Ordinal);
        gpuNodes.UnionWith(ledger.Nodes.Keys);
        var options = safety.Value;
        var byFraction = (int)Math.Floor((options.MaxFaultedNodeFraction * Math.Max(gpuNodes.Count, 1)) + 1e-9);
        var limit = Math.Min(byFraction, options.MaxFaultedNodes ?? int.MaxValue);

        // Even every node faulted stays within the limit: asking every agent could not change the answer.
        return limit >= gpuNodes.Count ? null : (gpuNodes, limit);
    }

    private void Check(BlastRadiusLedger ledger, IReadOnlyList<string> targets, string caller, string requestKey, (IReadOnlyCollection<string> GpuNodes, int Limit) limit, Dictionary<string, bool?> live, DateTimeOffset now)
    {
        var own = targets.Select(t => IdempotencyKeys.ForNode(caller, requestKey, t)).ToHashSet(StringComparer.Ordinal);
        var active = new SortedSet<string>(StringComparer.Ordinal);
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var inFlight = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var node in limit.GpuNodes)
        {
            switch (live.GetValueOrDefault(node))
            {
                case true:
                    active.Add(node);
                    break;
                case null:
                    unknown.Add(node);
                    break;
                default:
                    if (ledger.Nodes.TryGetValue(node, out var list) && list.Any(r => !r.Settled && !own.Contains(r.Key) && now - r.At < InFlight))
                    {
                        inFlight.Add(node);
                    }

                    break;
            }
        }

        var faulted = new SortedSet<string>(active.Concat(unknown).Concat(inFlight), StringComparer.Ordinal);
        var after = new HashSet<string>(faulted, StringComparer.Ordinal);
        after.UnionWith(targets);
        if (after.Count <= limit.Limit)
        {
            return;
        }

        var options = safety.Value;
        throw new ApiProblemException(
            StatusCodes.Status409Conflict,
            "Blast radius exceeded",
            $"Injecting would leave {after.Count} of {limit.GpuNodes.Count} GPU nodes faulted; the limit is {limit.Limit} "
            + $"(Safety:MaxFaultedNodes {options.MaxFaultedNodes?.ToString(CultureInfo.InvariantCulture) ?? "unset"}, Safety:MaxFaultedNodeFraction {options.MaxFaultedNodeFraction.ToString(CultureInfo.InvariantCulture)}). "
            + (unknown.Count == 0 ? "" : $"Nodes whose agent does not answer count as faulted: {string.Join(", ", unknown)}. ")
            + (inFlight.Count == 0 ? "" : $"Injections in flight: {string.Join(", ", inFlight)}. ")
            + "Nothing was injected; clear faults first.",
            extensions: new Dictionary<string, object?>
            {
                ["faulted_nodes"] = faulted.ToList(),
                ["unknown_nodes"] = unknown.ToList(),
                ["unreachable_nodes"] = unknown.ToList(),
                ["in_flight_nodes"] = inFlight.ToList(),
                ["gpu_nodes"] = limit.GpuNodes.Count,
                ["limit"] = limit.Limit,
            });
    }

    /// <summary>Each routable agent's answer: true with open faults, false without, null when it did not answer.</summary>
    private async Task<Dictionary<string, bool?>> AskAgentsAsync(string caller, CancellationToken cancellationToken)
    {
        // One fault is enough to know: the smallest page.
        var gathered = await agents.GatherAsync(router.All(), (agent, ct) => agents.HasActiveFaultsAsync(agent, caller, ct), cancellationToken).ConfigureAwait(false);
        return gathered.Outcomes.ToDictionary(o => o.Agent.NodeName, o => o.Error is null ? o.Response : (bool?)null, StringComparer.Ordinal);
    }

    /// <summary>
    /// Keeps the ledger small and true: drops nodes the cluster no longer has, a node's settled reservations (answered, or
    /// past the deadline) once its agent answers that it has no open fault (or their duration passed), merges the other
    /// settled ones, and drops target
    /// records past <c>Safety:TargetRetention</c> (and the oldest beyond <see cref="MaxTargetRecords"/> or <see cref="MaxTargetBytes"/>). True when it changed.
    /// </summary>
    private bool Maintain(BlastRadiusLedger ledger, DateTimeOffset now, Dictionary<string, bool?>? live)
    {
        var changed = false;
        foreach (var (node, list) in ledger.Nodes.ToList())
        {
            var before = list.Count;
            var settledBefore = now - InFlight;
            if (!router.Directory.NodeExists(node))
            {
                list.Clear();
            }
            else
            {
                var none = live?.GetValueOrDefault(node) == false;
                bool IsSettled(NodeReservation r) => r.Settled || r.At < settledBefore;
                list.RemoveAll(r => IsSettled(r) && (none || r.Until < settledBefore));
                var settled = list.Where(IsSettled).ToList();
                if (settled.Count > 1)
                {
                    list.RemoveAll(IsSettled);
                    list.Add(new NodeReservation("", settled.Max(r => r.At), settled.Any(r => r.Until is null) ? null : settled.Max(r => r.Until), Settled: true));
                }
            }

            if (list.Count == 0)
            {
                ledger.Nodes.Remove(node);
            }

            changed |= list.Count != before;
        }

        return DropTargets(ledger, now) | changed;
    }

    /// <summary>
    /// Drops the target records past <c>Safety:TargetRetention</c>, then, newest first, those beyond
    /// <see cref="MaxTargetRecords"/> or <see cref="MaxTargetBytes"/> (the newest one always stays). True when it dropped any.
    /// </summary>
    private bool DropTargets(BlastRadiusLedger ledger, DateTimeOffset now)
    {
        var drop = ledger.Requests.Where(r => now - r.Value.At > safety.Value.TargetRetention).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var kept = 0;
        var bytes = 0;
        foreach (var (id, record) in ledger.Requests.Where(r => !drop.Contains(r.Key)).OrderByDescending(r => r.Value.At).ToList())
        {
            bytes += TargetRecord.JsonBytes(id, record);
            if (kept > 0 && (kept >= MaxTargetRecords || bytes > MaxTargetBytes))
            {
                drop.Add(id);
                continue;
            }

            kept++;
        }

        foreach (var id in drop)
        {
            ledger.Requests.Remove(id);
        }

        return drop.Count > 0;
    }

    private async Task<(BlastRadiusLedger Ledger, string? Revision)> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoredDocumentException e)
        {
            throw Unavailable(e);
        }
    }

    private async Task<string?> TryWriteAsync(BlastRadiusLedger ledger, string? revision, CancellationToken cancellationToken)
    {
        try
        {
            return await store.TryWriteAsync(ledger, revision, cancellationToken).ConfigureAwait(false);
        }
        catch (StoredDocumentException e)
        {
            throw Unavailable(e);
        }
    }

    private static ApiProblemException Unavailable(StoredDocumentException e) =>
        new(StatusCodes.Status503ServiceUnavailable, "Blast-radius ledger unavailable", $"{e.Message}. Nothing was injected: the guard cannot count the faulted nodes without it.", innerException: e);
}
