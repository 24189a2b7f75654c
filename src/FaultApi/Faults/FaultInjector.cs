using FaultApi.Agents;
using FaultApi.BlastRadius;
using FaultApi.EmergencyStop;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Validation;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Faults;

/// <summary>
/// Injects on one node or on <c>count</c> nodes matching a selector (in parallel): picks the nodes deterministically from
/// the request key (a retry with the same Idempotency-Key reuses the nodes the first call picked), checks the emergency
/// stop and the blast-radius guard (<see cref="BlastRadiusGuard"/>), and gives every agent call a per-node idempotency
/// key. An agent that refuses as unconfirmed (it started since an API last pushed the stop to it) gets the cluster's
/// state this injection re-read, pushed, and the injection again, once. No lock is held across an agent call: a hung
/// agent holds up only the requests that target it.
/// </summary>
public sealed class FaultInjector(AgentRouter router, AgentGateway agents, BlastRadiusGuard guard, EmergencyStopCoordinator emergencyStop)
{
    public async Task<IReadOnlyList<FaultResource>> InjectAsync(
        InjectionTarget target,
        string caller,
        string requestKey,
        AgentInjection injection,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(injection);
        // Routing first, as it is local: not synced yet 503; a named node unknown 404 or without a ready agent 503.
        _ = target.Selector is not null ? router.All() : [router.Resolve(target.NodeName ?? throw new ArgumentException("An injection target names a node or a selector.", nameof(target)))];
        InjectionProfile.Lap(InjectionPhase.RoutingLookup);
        if (target.DryRun)
        {
            return await InjectOnAsync(Pick(target, requestKey), target, caller, requestKey, injection, null, cancellationToken).ConfigureAwait(false);
        }

        // The agents refuse on their own too; this also covers an agent the stop has not reached yet, and a stop
        // engaged through another replica (the state is re-read: in Kubernetes mode one ConfigMap GET per injection; in
        // static mode one statx() of the state file, which is read again only when it changed: FileStopStateStore).
        await emergencyStop.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var released = emergencyStop.RequireReleased();
        InjectionProfile.Lap(InjectionPhase.EmergencyStop);
        var plan = await guard.PlanAsync(target, caller, requestKey, () => Pick(target, requestKey), cancellationToken).ConfigureAwait(false);
        InjectionProfile.Lap(InjectionPhase.BlastRadius);
        IReadOnlyList<FaultResource> faults;
        try
        {
            faults = await InjectOnAsync(plan.Nodes, target, caller, requestKey, injection, released, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiProblemException problem) when (plan.Reserved)
        {
            // Injected nodes settle; where nothing was written the reservation is dropped: the agent refused (a 4xx), or
            // the problem says so (an agent that refused as unconfirmed, not sent the injection again, or whose board
            // serial lookup is still pending: 503s). Any other 5xx keeps its reservation in flight: the agent may have written.
            var injected = problem.Extensions.TryGetValue("faults", out var done) && done is IEnumerable<FaultResource?> written
                ? written.Where(f => f is not null).Select(f => f!.NodeName).ToList()
                : [];
            var refused = problem.Extensions.TryGetValue("node_errors", out var errors) && errors is IEnumerable<NodeError> nodeErrors
                ? nodeErrors.Where(e => e.Status is >= 400 and < 500).Select(e => e.NodeName).ToList()
                : problem.Status is >= 400 and < 500 && plan.Nodes.Count == 1 ? [plan.Nodes[0]] : [];
            refused = [.. refused.Union(problem.NothingWrittenOn, StringComparer.Ordinal)];
            await guard.CompleteAsync(plan, caller, requestKey, injected, refused, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (plan.Reserved)
        {
            await guard.CompleteAsync(plan, caller, requestKey, [.. faults.Select(f => f.NodeName)], [], CancellationToken.None).ConfigureAwait(false);
        }

        return faults;
    }

    /// <summary>
    /// Sends the injection to one agent. When it refuses as unconfirmed (EMERGENCY_STOP_UNCONFIRMED: it started since an API
    /// last pushed the stop to it, and nothing was written), pushes <paramref name="released"/> — the cluster's state this
    /// injection re-read — and sends the same injection (same fault id and key) once more; a failed push or a second such
    /// refusal is a 503 naming the node and why, which says nothing was written on it (<see cref="ApiProblemException.NothingWrittenOn"/>:
    /// its blast-radius reservation is dropped). The state pushed is read again first: a stop engaged since this injection
    /// read it is the 423 it would have been (the agent wrote nothing). A dry run (<paramref name="released"/> null) is never refused so.
    /// </summary>
    private async Task<FaultInjection.Agent.V1.InjectResponse> InjectConfirmingAsync(AgentEndpoint agent, AgentInjection addressed, string caller, StopState? released, CancellationToken cancellationToken)
    {
        try
        {
            return await agents.InjectAsync(agent, addressed, caller, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiProblemException problem) when (released is not null && AgentProblems.IsStopUnconfirmed(problem))
        {
            // The cluster's state as of now, not as of this injection's start: a stop engaged since (answered 200 while
            // this call was on its way, its push not reaching this agent) must not be undone here by the older release.
            await emergencyStop.RefreshAsync(cancellationToken).ConfigureAwait(false);
            released = emergencyStop.RequireReleased();
            var held = await emergencyStop.ConfirmAgentAsync(agent, released, cancellationToken).ConfigureAwait(false);
            try
            {
                return await agents.InjectAsync(agent, addressed, caller, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiProblemException again) when (AgentProblems.IsStopUnconfirmed(again))
            {
                throw StopProblems.StillUnconfirmed(agent.NodeName, released, held);
            }
        }
    }

    /// <summary>The named node (404 unknown, 503 without a ready agent), or <c>count</c> matching ready nodes ranked by the request key.</summary>
    private IReadOnlyList<string> Pick(InjectionTarget target, string requestKey)
    {
        if (target.Selector is null)
        {
            return [router.Resolve(target.NodeName ?? throw new ArgumentException("An injection target names a node or a selector.", nameof(target))).NodeName];
        }

        var count = target.Count ?? 1;
        var matching = router.All().Where(a => target.Selector.Matches(a.NodeLabels)).ToList();
        if (matching.Count < count)
        {
            throw new ApiProblemException(
                StatusCodes.Status409Conflict,
                "Not enough matching nodes",
                $"node_selector '{target.NodeSelector}' matches {matching.Count} GPU node(s) with a ready agent; count is {count}.",
                extensions: new Dictionary<string, object?> { ["matching_nodes"] = matching.Select(a => a.NodeName).ToList() });
        }

        IReadOnlyList<string> chosen = [.. matching.OrderBy(a => IdempotencyKeys.Rank(requestKey, a.NodeName), StringComparer.Ordinal).Take(count).Select(a => a.NodeName)];
        var errors = new RequestErrors();
        ApiInputRules.FaultIdPerNode(errors, target.FaultId, chosen);
        errors.ThrowIfAny();
        return chosen;
    }

    private async Task<IReadOnlyList<FaultResource>> InjectOnAsync(
        IReadOnlyList<string> nodes,
        InjectionTarget target,
        string caller,
        string requestKey,
        AgentInjection injection,
        StopState? released,
        CancellationToken cancellationToken)
    {
        var single = nodes.Count == 1 && !string.IsNullOrWhiteSpace(target.NodeName);
        var tasks = nodes.Select(async node =>
        {
            // Without a caller's id, the API names the fault itself, from the same inputs as the key: the channel's
            // automatic retries and a caller's retry with the same Idempotency-Key carry the same fault id, so the agent
            // replays instead of writing, and an "outcome unknown" answer names a fault the caller can look up.
            var faultId = string.IsNullOrEmpty(target.FaultId)
                ? IdempotencyKeys.FaultIdForNode(caller, requestKey, node)
                : single ? target.FaultId : $"{target.FaultId}-{node}";
            var addressed = injection.ForNode(faultId, IdempotencyKeys.ForNode(caller, requestKey, node));
            try
            {
                // A recorded target whose agent is not ready now fails here, for that node alone (retry later).
                var agent = router.Resolve(node);
                InjectionProfile.Lap(InjectionPhase.Addressing);
                return (Node: node, Result: FaultResourceMapper.FromInjection(await InjectConfirmingAsync(agent, addressed, caller, released, cancellationToken).ConfigureAwait(false)), Error: (ApiProblemException?)null);
            }
            catch (ApiProblemException problem) when (!single)
            {
                return (Node: node, Result: (FaultResource?)null, Error: problem);
            }
        }).ToList();
        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        var failed = results.Where(r => r.Error is not null).ToList();
        if (failed.Count > 0)
        {
            var first = failed[0].Error!;
            throw new ApiProblemException(
                first.Status,
                "Injection failed on some nodes",
                $"{failed.Count} of {results.Length} node(s) failed ({string.Join("; ", failed.Select(f => f.Error!.Message))}). "
                + "The other nodes were injected; retry with the same Idempotency-Key to finish without writing twice (on the same nodes).",
                first.Errors,
                new Dictionary<string, object?>
                {
                    ["faults"] = results.Where(r => r.Result is not null).Select(r => r.Result).ToList(),
                    ["node_errors"] = failed.Select(f => NodeError.From(f.Node, f.Error!)).ToList(),
                })
            {
                RetryAfter = failed.Select(f => f.Error!.RetryAfter).Max(),
                NothingWrittenOn = [.. failed.SelectMany(f => f.Error!.NothingWrittenOn)],
            };
        }

        return [.. results.Select(r => r.Result!)];
    }
}
