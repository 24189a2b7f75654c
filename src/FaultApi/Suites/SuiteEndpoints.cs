using System.Globalization;
using System.Security.Claims;
using System.Text;
using FaultApi.Audit;
using FaultApi.Auth;
using FaultApi.Drills;
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

namespace FaultApi.Suites;

/// <summary>The <c>/api/v1/suites</c> routes: start, list, get, cancel, and the server-sent event stream of a suite.</summary>
public static class SuiteEndpoints
{
    public const string LastEventIdHeader = "Last-Event-ID";

    public static RouteGroupBuilder MapSuiteEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Every suite route is 501 when the API routes statically (suites run drills, which need the Kubernetes API).
        var group = endpoints.MapApiGroup("/api/v1/suites", ApiTags.Suites);

        group.MapPost("/", StartAsync).WithName("StartSuite")
            .WithSummary("Start a suite: a list of drills across nodes with one verdict")
            .ProducesProblems(400, 404, 409, 413, 415, 423, 500, 501, 503);
        group.MapGet("/", ListAsync).WithName("ListSuites")
            .WithSummary("List the suites, newest first, paged")
            .ProducesProblems(400, 501, 503);
        group.MapGet("/{suiteId}", GetAsync).WithName("GetSuite")
            .WithSummary("One suite with every drill's verdict and timeline")
            .ProducesProblems(400, 404, 501, 503);
        group.MapGet("/{suiteId}/junit", JUnitAsync).WithName("GetSuiteJUnit")
            .WithSummary("A suite as a JUnit XML report: one testcase per drill")
            .Produces<string>(StatusCodes.Status200OK, "application/xml")
            .ProducesProblems(400, 404, 501, 503);
        group.MapDelete("/{suiteId}", CancelAsync).WithName("CancelSuite")
            .WithSummary("Cancel a running suite (its running drills cancelled, their faults cleared)")
            .ProducesProblems(400, 404, 409, 501, 503);
        group.MapGet("/{suiteId}/events", EventsAsync).WithName("SuiteEvents")
            .WithSummary("Follow a suite as server-sent events, one per drill started or ended")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblems(400, 404, 429, 501, 503);
        return group;
    }

    internal static async Task<Accepted<SuiteRecord>> StartAsync([FromBody] SuiteBody body, ClaimsPrincipal user, SuiteService suites, IAuditLog audit, CancellationToken cancellationToken)
    {
        var caller = CallerIdentity.NameOf(user);
        var suite = await audit.AuditAsync(
            "suite", caller, body?.Name ?? "", StatusCodes.Status202Accepted,
            () => suites.StartAsync(body!, caller, cancellationToken),
            s => (s.SuiteId, $"suite started: {s.Drills.Count} drills on {s.Drills.Select(d => d.NodeName).Distinct(StringComparer.Ordinal).Count()} nodes")).ConfigureAwait(false);
        return TypedResults.Accepted($"/api/v1/suites/{suite.SuiteId}", suite);
    }

    internal static async Task<Ok<SuiteListResource>> ListAsync(
        SuiteService suites,
        CancellationToken cancellationToken,
        [FromQuery(Name = "limit")] int? limit = null,
        [FromQuery(Name = "page_token")] string? pageToken = null)
    {
        var errors = new RequestErrors();
        var page = PageRequest.Read(errors, "suites", "", limit, pageToken);
        errors.ThrowIfAny();
        var (list, next) = page.Take(await suites.ListAsync(cancellationToken).ConfigureAwait(false), s => PageKeys.Join(PageKeys.Descending(s.CreatedAt), s.SuiteId));
        return TypedResults.Ok(new SuiteListResource(list, list.Count, next));
    }

    internal static async Task<Ok<SuiteRecord>> GetAsync(string suiteId, SuiteService suites, CancellationToken cancellationToken) =>
        TypedResults.Ok(await suites.GetAsync(suiteId, cancellationToken).ConfigureAwait(false));

    internal static async Task<ContentHttpResult> JUnitAsync(string suiteId, SuiteService suites, CancellationToken cancellationToken)
    {
        var suite = await suites.GetAsync(suiteId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Text(SuiteJUnitReport.Write(suite, Environment.MachineName), "application/xml", Encoding.UTF8);
    }

    internal static async Task<Ok<SuiteRecord>> CancelAsync(string suiteId, ClaimsPrincipal user, SuiteService suites, IAuditLog audit, CancellationToken cancellationToken, [FromQuery(Name = "reason")] string? reason = null)
    {
        var caller = CallerIdentity.NameOf(user);
        var why = DrillEndpoints.CancelReason(caller, reason);
        return TypedResults.Ok(await audit.AuditAsync(
            "suite_cancel", caller, suiteId, StatusCodes.Status200OK,
            () => suites.CancelAsync(suiteId, why, cancellationToken),
            s => (s.SuiteId, $"{s.State.JsonName()}: {s.Reason}")).ConfigureAwait(false));
    }

    internal static async Task<IResult> EventsAsync(string suiteId, HttpContext context, SuiteService suites, DrillEventSubscriptions subscriptions, SuiteEventFeed events, CancellationToken cancellationToken)
    {
        var stored = await suites.GetStoredAsync(suiteId, cancellationToken).ConfigureAwait(false);
        var sent = Resumed(context.Request.Headers[LastEventIdHeader].ToString(), stored.Suite);
        // The drills' stream caps (Drills:MaxEventSubscribers*) count suite streams too.
        var key = $"suite-{stored.Suite.SuiteId}";
        subscriptions.EnterFor(key, context.Response);
        return events.Respond(context, stored, sent, cancellationToken);
    }

    /// <summary>How many entries the client already has: none, all up to the <c>Last-Event-ID</c> it sends, or all after the verdict.</summary>
    private static int Resumed(string lastEventId, SuiteRecord suite)
    {
        if (string.IsNullOrEmpty(lastEventId))
        {
            return 0;
        }

        if (lastEventId == "verdict")
        {
            return suite.Events.Count;
        }

        if (int.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var last) && last < 100_000)
        {
            return last + 1;
        }

        var errors = new RequestErrors();
        errors.Add(LastEventIdHeader, "must be the id of an event of this stream (a whole number, or verdict)");
        throw errors.ToProblem();
    }
}
