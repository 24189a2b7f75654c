using System.Security.Claims;
using FaultApi.Audit;
using FaultApi.Auth;
using FaultApi.OpenApi;
using FaultApi.Paging;
using FaultApi.Problems;
using FaultApi.Storage;
using FaultApi.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.Drills;

/// <summary>The <c>/api/v1/drills</c> routes: start, list, get, cancel, and the server-sent event stream of a drill.</summary>
public static class DrillEndpoints
{
    public static RouteGroupBuilder MapDrillEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Every drill route is 501 when the API routes statically (drills need the Kubernetes API).
        var group = endpoints.MapApiGroup("/api/v1/drills", ApiTags.Drills);

        group.MapPost("/", StartAsync).WithName("StartDrill")
            .WithSummary("Start a drill: inject a fault and watch for the expected reaction")
            .ProducesProblems(400, 404, 409, 413, 415, 423, 429, 500, 501, 502, 503, 504);
        group.MapGet("/", ListAsync).WithName("ListDrills")
            .WithSummary("List the drills (or one node's), newest first, paged")
            .ProducesProblems(400, 501, 503);
        group.MapGet("/{drillId}", GetAsync).WithName("GetDrill")
            .WithSummary("One drill with its verdict and timeline")
            .ProducesProblems(400, 404, 501, 503);
        group.MapDelete("/{drillId}", CancelAsync).WithName("CancelDrill")
            .WithSummary("Cancel a running drill (its fault is cleared)")
            .ProducesProblems(400, 404, 409, 501, 503);
        group.MapGet("/{drillId}/events", EventsAsync).WithName("DrillEvents")
            .WithSummary("Follow a drill as server-sent events, one per step")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblems(400, 404, 429, 501, 503);
        return group;
    }

    internal static async Task<Accepted<DrillRecord>> StartAsync([FromBody] DrillBody body, ClaimsPrincipal user, DrillService drills, IAuditLog audit, CancellationToken cancellationToken)
    {
        var caller = CallerIdentity.NameOf(user);
        var drill = await audit.AuditAsync(
            "drill", caller, body?.NodeName ?? "", StatusCodes.Status202Accepted,
            () => drills.StartAsync(body!, caller, cancellationToken),
            d => ($"{d.DrillId},{d.FaultId}", $"drill started: {string.Join(' ', d.Expect)}")).ConfigureAwait(false);
        return TypedResults.Accepted($"/api/v1/drills/{drill.DrillId}", drill);
    }

    internal static async Task<Ok<DrillListResource>> ListAsync(
        DrillService drills,
        CancellationToken cancellationToken,
        [FromQuery(Name = "node")] string? node = null,
        [FromQuery(Name = "limit")] int? limit = null,
        [FromQuery(Name = "page_token")] string? pageToken = null)
    {
        var errors = new RequestErrors();
        node = ApiInputRules.NodeName(errors, "node", node, required: false);
        var page = PageRequest.Read(errors, "drills", $"node={node}", limit, pageToken);
        errors.ThrowIfAny();
        var (list, next) = page.Take(await drills.ListAsync(node, cancellationToken).ConfigureAwait(false), d => PageKeys.Join(PageKeys.Descending(d.CreatedAt), d.DrillId));
        return TypedResults.Ok(new DrillListResource(list, list.Count, next));
    }

    internal static async Task<Ok<DrillRecord>> GetAsync(string drillId, DrillService drills, CancellationToken cancellationToken) =>
        TypedResults.Ok(await drills.GetAsync(drillId, cancellationToken).ConfigureAwait(false));

    internal static async Task<Ok<DrillRecord>> CancelAsync(string drillId, ClaimsPrincipal user, DrillService drills, IAuditLog audit, CancellationToken cancellationToken, [FromQuery(Name = "reason")] string? reason = null)
    {
        var caller = CallerIdentity.NameOf(user);
        var why = CancelReason(caller, reason);
        return TypedResults.Ok(await audit.AuditAsync(
            "drill_cancel", caller, drillId, StatusCodes.Status200OK,
            () => drills.CancelAsync(drillId, why, cancellationToken),
            d => (d.DrillId, $"{d.State.JsonName()}: {d.Reason}")).ConfigureAwait(false));
    }

    /// <summary>
    /// Why a drill or a suite (<see cref="Suites.SuiteEndpoints"/>) is cancelled: <c>cancelled by &lt;caller&gt;</c>, with the
    /// caller's <c>?reason=</c> after it; a reason too long or not printable is a 400.
    /// </summary>
    internal static string CancelReason(string caller, string? reason)
    {
        var errors = new RequestErrors();
        reason = ApiInputRules.Text(errors, "reason", reason, ApiInputRules.MaxReasonLength);
        errors.ThrowIfAny();
        return string.IsNullOrWhiteSpace(reason) ? $"cancelled by {caller}" : $"cancelled by {caller}: {reason}";
    }

    internal static async Task<IResult> EventsAsync(string drillId, HttpContext context, DrillService drills, DrillEventSubscriptions subscriptions, DrillEventFeed events, CancellationToken cancellationToken)
    {
        var stored = await drills.GetStoredAsync(drillId, cancellationToken).ConfigureAwait(false);
        subscriptions.EnterFor(stored.Drill.DrillId, context.Response);
        return events.Respond(context, stored, 0, cancellationToken);
    }
}
