using System.Security.Claims;
using FaultApi.Agents;
using FaultApi.Auth;
using FaultApi.OpenApi;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Validation;
using FaultInjection.Agent.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.Gpu;

/// <summary>
/// The <c>/api/v1/gpu</c> routes: every node's GPUs with their nvidia-smi metrics, one node, fleet totals, and GPU
/// processes. Gathering routes ask every agent in parallel (at most <c>Agents:MaxConcurrency</c> at once) and list the
/// nodes that did not answer in <c>errors</c> next to the results.
/// </summary>
public static class GpuEndpoints
{
    public static RouteGroupBuilder MapGpuEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapApiGroup("/api/v1/gpu", ApiTags.GpuTelemetry);
        group.MapGet("/nodes", ListNodesAsync).WithName("ListGpuNodes")
            .WithSummary("Every node's GPUs with their nvidia-smi metrics")
            .ProducesProblems(400, 503);
        group.MapGet("/nodes/{node}", GetNodeAsync).WithName("GetGpuNode")
            .WithSummary("One node's GPUs with their nvidia-smi metrics")
            .ProducesProblems(400, 404, 502, 503, 504);
        group.MapGet("/summary", GetSummaryAsync).WithName("GetGpuSummary")
            .WithSummary("Fleet totals: GPUs by model, utilization, memory, temperature")
            .ProducesProblems(400, 503);
        group.MapGet("/processes", ListProcessesAsync).WithName("ListGpuProcesses")
            .WithSummary("The processes on every node's GPUs (or one node's), with pmon samples on request")
            .ProducesProblems(400, 404, 503);
        return group;
    }

    internal static async Task<Ok<GpuNodeListResource>> ListNodesAsync(
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        CancellationToken cancellationToken,
        [FromQuery(Name = "refresh")] bool? refresh = null)
    {
        var (nodes, errors) = await GatherTelemetryAsync(router.All(), CallerIdentity.NameOf(user), agents, refresh ?? false, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new GpuNodeListResource(nodes, nodes.Count, nodes.Sum(n => n.GpuCount), errors));
    }

    internal static async Task<Ok<GpuNodeResource>> GetNodeAsync(
        string node,
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        CancellationToken cancellationToken,
        [FromQuery(Name = "refresh")] bool? refresh = null)
    {
        var agent = router.Resolve(ApiInputRules.CheckedNodeName("node", node, required: true)!);
        var telemetry = await agents.GetGpuTelemetryAsync(agent, refresh ?? false, CallerIdentity.NameOf(user), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(GpuResourceMapper.FromTelemetry(agent.NodeName, telemetry));
    }

    internal static async Task<Ok<GpuSummaryResource>> GetSummaryAsync(
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        CancellationToken cancellationToken,
        [FromQuery(Name = "refresh")] bool? refresh = null)
    {
        var (nodes, errors) = await GatherTelemetryAsync(router.All(), CallerIdentity.NameOf(user), agents, refresh ?? false, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(GpuSummaryCalculator.Summarize(nodes, errors));
    }

    internal static async Task<Ok<GpuProcessListResource>> ListProcessesAsync(
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        CancellationToken cancellationToken,
        [FromQuery(Name = "node")] string? node = null,
        [FromQuery(Name = "pmon")] bool? pmon = null)
    {
        node = ApiInputRules.CheckedNodeName("node", node);
        var targets = router.AllOrNode(node);
        var includePmon = pmon ?? false;
        var caller = CallerIdentity.NameOf(user);
        var gathered = await agents.GatherAsync(targets, (agent, ct) => agents.ListGpuProcessesAsync(agent, includePmon, caller, ct), cancellationToken).ConfigureAwait(false);
        var answered = gathered.Answers.OrderBy(o => o.Agent.NodeName, StringComparer.Ordinal).ToList();
        var processes = answered
            .SelectMany(o => o.Response!.Processes.Select(p => GpuResourceMapper.FromProcess(o.Agent.NodeName, p)))
            .OrderBy(p => p.NodeName, StringComparer.Ordinal).ThenBy(p => p.GpuIndex).ThenBy(p => p.Pid)
            .ToList();
        List<PmonSampleResource>? samples = includePmon
            ? [.. answered.SelectMany(o => o.Response!.Pmon.Select(s => GpuResourceMapper.FromPmon(o.Agent.NodeName, s)))]
            : null;
        return TypedResults.Ok(new GpuProcessListResource(
            processes,
            processes.Count,
            samples,
            [.. answered.Select(o => o.Agent.NodeName)],
            [.. gathered.Errors.OrderBy(e => e.NodeName, StringComparer.Ordinal)]));
    }

    private static async Task<(List<GpuNodeResource> Nodes, List<NodeError> Errors)> GatherTelemetryAsync(
        IReadOnlyList<AgentEndpoint> targets,
        string caller,
        AgentGateway agents,
        bool refresh,
        CancellationToken cancellationToken)
    {
        var gathered = await agents.GatherAsync(targets, (agent, ct) => agents.GetGpuTelemetryAsync(agent, refresh, caller, ct), cancellationToken).ConfigureAwait(false);
        var nodes = gathered.Answers
            .Select(o => GpuResourceMapper.FromTelemetry(o.Agent.NodeName, o.Response!))
            .OrderBy(n => n.NodeName, StringComparer.Ordinal)
            .ToList();
        var errors = gathered.Errors.OrderBy(e => e.NodeName, StringComparer.Ordinal).ToList();
        return (nodes, errors);
    }
}
