using System.Security.Claims;
using FaultApi.Agents;
using FaultApi.Auth;
using FaultApi.OpenApi;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.Nodes;

/// <summary><c>GET /api/v1/nodes</c>: GPU nodes that have an agent, with their GPUs.</summary>
public static class NodeEndpoints
{
    public static RouteGroupBuilder MapNodeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapApiGroup("/api/v1/nodes", ApiTags.Nodes);
        group.MapGet("/", ListNodesAsync).WithName("ListNodes")
            .WithSummary("List the GPU nodes that have a fault agent, with their GPUs")
            .ProducesProblems(503);
        return group;
    }

    internal static async Task<Ok<NodeListResource>> ListNodesAsync(ClaimsPrincipal user, AgentRouter router, AgentGateway agents, CancellationToken cancellationToken)
    {
        var caller = CallerIdentity.NameOf(user);
        var gathered = await agents.GatherAsync(router.All(), (agent, ct) => agents.ListGpuSummaryAsync(agent, caller, ct), cancellationToken).ConfigureAwait(false);
        var nodes = gathered.Answers
            .Select(o => new NodeResource(
                o.Agent.NodeName,
                o.Agent.PodName,
                o.Agent.Address.ToString(),
                o.Agent.NodeLabels,
                string.IsNullOrEmpty(o.Response!.BootId) ? null : o.Response.BootId,
                [.. o.Response.Gpus.Select(g => new GpuResource(g.GpuId, g.PciBusId, g.XidPci, g.Uuid, g.Model, g.Excluded)
                {
                    MigInstances = [.. g.MigInstances.Select(m => new MigInstanceResource(m.GpuInstance, [.. m.ComputeInstances]))],
                })],
                [.. o.Response.Nvswitches.Select(s => new NvSwitchResource(s.Instance, s.PciBusId))],
                [.. o.Response.Problems.Select(p => $"{p.Path}: {p.Message}")])
            {
                DriverVersion = string.IsNullOrEmpty(o.Response.DriverVersion) ? null : o.Response.DriverVersion,
                LineForm = string.IsNullOrEmpty(o.Response.LineForm) ? null : o.Response.LineForm,
            })
            .ToList();
        return TypedResults.Ok(new NodeListResource(nodes, nodes.Count, gathered.Errors));
    }
}
