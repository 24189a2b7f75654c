using System.Globalization;
using System.Security.Claims;
using FaultApi.Agents;
using FaultApi.Auth;
using FaultApi.OpenApi;
using FaultApi.Paging;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Validation;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.Audit;

/// <summary><c>GET /api/v1/audit?since=&lt;RFC 3339&gt;</c>: the audit events the agents keep, merged and sorted.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapApiGroup("/api/v1/audit", ApiTags.Audit);
        group.MapGet("/", ListAsync).WithName("ListAuditEvents")
            .WithSummary("List the agents' audit events since a time, merged and sorted, paged")
            .ProducesProblems(400, 404, 503);
        return group;
    }

    internal static async Task<Ok<AuditListResource>> ListAsync(
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        CancellationToken cancellationToken,
        [FromQuery(Name = "since")] string? since = null,
        [FromQuery(Name = "node")] string? node = null,
        [FromQuery(Name = "limit")] int? limit = null,
        [FromQuery(Name = "page_token")] string? pageToken = null)
    {
        var errors = new RequestErrors();
        var from = ApiInputRules.Time(errors, "since", since);
        node = ApiInputRules.NodeName(errors, "node", node, required: false);
        var page = PageRequest.Read(errors, "audit", $"since={from?.UtcTicks};node={node}", limit, pageToken);
        errors.ThrowIfAny();
        var sinceTime = from is { } time ? Timestamp.FromDateTimeOffset(time) : null;
        var targets = router.AllOrNode(node);
        var caller = CallerIdentity.NameOf(user);
        var gathered = await agents.GatherAsync(targets, (agent, ct) => agents.ListAuditEventsAsync(agent, sinceTime, caller, ct), cancellationToken).ConfigureAwait(false);
        var (events, next) = page.Take(
            gathered.Items(events => events)
                .Select(i => i.Item)
                .Select(e => new AuditEventResource(e.At?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch, e.NodeName, e.Action, e.Caller, e.FaultId, e.Target, e.Result, e.Detail)),
            e => PageKeys.Join(PageKeys.Ascending(e.At), e.NodeName, e.Action, e.FaultId, e.Target, e.Result, e.Caller));
        return TypedResults.Ok(new AuditListResource(
            events,
            events.Count,
            gathered.AnsweredNodes,
            gathered.Errors,
            next));
    }
}
