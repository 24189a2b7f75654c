using System.Security.Claims;
using FaultApi.Audit;
using FaultApi.Auth;
using FaultApi.Paging;
using FaultApi.Problems;
using FaultApi.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Drills;

/// <summary>The <c>/api/v1/drills</c> routes: start, list, get, cancel, and the server-sent event stream of a drill.</summary>
public static class DrillEndpoints
{
    public static RouteGroupBuilder MapDrillEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapApiGroup("/api/v1/drills", "Drills")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", StartAsync).WithName("StartDrill").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync).WithName("ListDrills");
        group.MapGet("/{drillId}", GetAsync).WithName("GetDrill");
        group.MapDelete("/{drillId}", CancelAsync).WithName("CancelDrill");
        group.MapGet("/{drillId}/events", EventsAsync).WithName("DrillEvents").Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status429TooManyRequests);
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
        var errors = new RequestErrors();
        reason = ApiInputRules.Text(errors, "reason", reason, ApiInputRules.MaxReasonLength);
        errors.ThrowIfAny();
        var caller = CallerIdentity.NameOf(user);
        var why = string.IsNullOrWhiteSpace(reason) ? $"cancelled by {caller}" : $"cancelled by {caller}: {reason}";
        return TypedResults.Ok(await audit.AuditAsync(
            "drill_cancel", caller, drillId, StatusCodes.Status200OK,
            () => drills.CancelAsync(drillId, why, cancellationToken),
            d => (d.DrillId, $"{d.State}: {d.Reason}")).ConfigureAwait(false));
    }

    internal static async Task<EmptyHttpResult> EventsAsync(string drillId, HttpContext context, DrillService drills, CancellationToken cancellationToken)
    {
        var stored = await drills.GetStoredAsync(drillId, cancellationToken).ConfigureAwait(false);
        var subscriptions = context.RequestServices.GetRequiredService<DrillEventSubscriptions>();
        subscriptions.Enter(stored.Drill.DrillId);
        try
        {
            await context.RequestServices.GetRequiredService<DrillEventWriter>().WriteAsync(context.Response, stored, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            subscriptions.Leave(stored.Drill.DrillId);
        }

        return TypedResults.Empty;
    }
}
