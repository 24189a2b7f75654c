using FaultApi.Agents;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Safety;
using FaultApi.EmergencyStop;
using FaultApi.Validation;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaultApi.Faults;

/// <summary>
/// Injects on one node or on <c>count</c> nodes matching a selector (in parallel): picks the nodes deterministically
/// from the request key, checks the blast-radius guard (<c>Safety:*</c>, counting nodes with active faults by asking the
/// agents), and gives every agent call a per-node idempotency key.
/// </summary>
public sealed class FaultInjector(AgentRouter router, AgentCaller agents, IOptions<SafetyOptions> safety, EmergencyStopCoordinator emergencyStop) : IDisposable
{
    // Check-then-inject is serialized within this replica so two concurrent requests cannot both pass the guard.
    private readonly SemaphoreSlim _guard = new(1, 1);

    public void Dispose() => _guard.Dispose();

    public async Task<IReadOnlyList<FaultResource>> InjectAsync(
        InjectionTarget target,
        string caller,
        string requestKey,
        Func<string?, string, InjectRequestFactory> requestFor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(requestFor);
        var nodes = SelectNodes(target, requestKey);
        if (target.DryRun)
        {
            return await InjectOnAsync(nodes, target, caller, requestKey, requestFor, cancellationToken).ConfigureAwait(false);
        }

        // The agents refuse on their own too; this also covers an agent the stop has not reached yet, and a stop
        // engaged through another replica (the state is re-read: one ConfigMap GET or file read per injection).
        await emergencyStop.RefreshAsync(cancellationToken).ConfigureAwait(false);
        emergencyStop.ThrowIfEngaged();
        await _guard.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CheckBlastRadiusAsync(nodes, caller, cancellationToken).ConfigureAwait(false);
            return await InjectOnAsync(nodes, target, caller, requestKey, requestFor, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _guard.Release();
        }
    }

    private IReadOnlyList<AgentEndpoint> SelectNodes(InjectionTarget target, string requestKey)
    {
        if (target.Selector is null)
        {
            return [router.Resolve(target.NodeName ?? throw new ArgumentException("An injection target names a node or a selector.", nameof(target)))];
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

        IReadOnlyList<AgentEndpoint> chosen = [.. matching.OrderBy(a => IdempotencyKeys.Rank(requestKey, a.NodeName), StringComparer.Ordinal).Take(count)];
        var errors = new RequestErrors();
        ApiInputRules.FaultIdPerNode(errors, target.FaultId, chosen.Select(a => a.NodeName));
        errors.ThrowIfAny();
        return chosen;
    }

    private async Task CheckBlastRadiusAsync(IReadOnlyList<AgentEndpoint> targets, string caller, CancellationToken cancellationToken)
    {
        var options = safety.Value;
        var all = router.All();
        var total = Math.Max(all.Count, 1);
        var limitByFraction = (int)Math.Floor((options.MaxFaultedNodeFraction * total) + 1e-9);
        var limit = Math.Min(limitByFraction, options.MaxFaultedNodes ?? int.MaxValue);
        if (limit >= all.Count)
        {
            // Even every node faulted stays within the limit (the defaults): asking every agent for its active faults
            // could not change the answer, and would cost one ListFaults per agent on every injection.
            return;
        }

        var outcomes = await agents.GatherAsync(all, caller, (c, o) => c.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, o), cancellationToken).ConfigureAwait(false);

        // A node whose agent does not answer may have active faults: it counts as faulted (fail safe).
        var faulted = outcomes
            .Where(o => o.Error is not null || o.Response!.Faults.Any(f => f.State is FaultState.Active or FaultState.OutcomeUnknown or FaultState.PartiallyWritten))
            .Select(o => o.Agent.NodeName)
            .ToHashSet(StringComparer.Ordinal);
        var unreachable = outcomes.Where(o => o.Error is not null).Select(o => o.Agent.NodeName).ToList();
        var after = new HashSet<string>(faulted, StringComparer.Ordinal);
        after.UnionWith(targets.Select(t => t.NodeName));
        if (after.Count > limit)
        {
            throw new ApiProblemException(
                StatusCodes.Status409Conflict,
                "Blast radius exceeded",
                $"Injecting would leave {after.Count} of {all.Count} GPU nodes faulted; the limit is {limit} "
                + $"(Safety:MaxFaultedNodes {options.MaxFaultedNodes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"}, Safety:MaxFaultedNodeFraction {options.MaxFaultedNodeFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}). Clear faults first.",
                extensions: new Dictionary<string, object?>
                {
                    ["faulted_nodes"] = faulted.Order(StringComparer.Ordinal).ToList(),
                    ["unreachable_nodes"] = unreachable,
                    ["limit"] = limit,
                });
        }
    }

    private async Task<IReadOnlyList<FaultResource>> InjectOnAsync(
        IReadOnlyList<AgentEndpoint> nodes,
        InjectionTarget target,
        string caller,
        string requestKey,
        Func<string?, string, InjectRequestFactory> requestFor,
        CancellationToken cancellationToken)
    {
        var single = nodes.Count == 1 && !string.IsNullOrWhiteSpace(target.NodeName);
        var tasks = nodes.Select(async node =>
        {
            // Without a caller's id, the API names the fault itself, from the same inputs as the key: the channel's
            // automatic retries and a caller's retry with the same Idempotency-Key carry the same fault id, so the agent
            // replays instead of writing, and an "outcome unknown" answer names a fault the caller can look up.
            var faultId = string.IsNullOrEmpty(target.FaultId)
                ? IdempotencyKeys.FaultIdForNode(caller, requestKey, node.NodeName)
                : single ? target.FaultId : $"{target.FaultId}-{node.NodeName}";
            var call = requestFor(faultId, IdempotencyKeys.ForNode(caller, requestKey, node.NodeName));
            try
            {
                return (Node: node, Result: FaultResourceMapper.FromInjection(await agents.CallAsync(node, caller, call.Invoke, cancellationToken).ConfigureAwait(false)), Error: (ApiProblemException?)null);
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
                + "The other nodes were injected; retry with the same Idempotency-Key to finish without writing twice.",
                first.Errors,
                new Dictionary<string, object?>
                {
                    ["faults"] = results.Where(r => r.Result is not null).Select(r => r.Result).ToList(),
                    ["node_errors"] = failed.Select(f => NodeError.From(f.Node.NodeName, f.Error!)).ToList(),
                })
            {
                RetryAfter = failed.Select(f => f.Error!.RetryAfter).Max(),
            };
        }

        return [.. results.Select(r => r.Result!)];
    }
}
