using System.Security.Claims;
using FaultApi.Agents;
using FaultApi.Audit;
using FaultApi.Auth;
using FaultApi.OpenApi;
using FaultApi.Paging;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Validation;
using FaultInjection.Agent.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.BugReports;

/// <summary>
/// The <c>/api/v1/bug-reports</c> routes: start nvidia-bug-report.sh on a node (202 + Location; while one runs, the running
/// one is returned, still 202, with <c>already_running: true</c>), list reports with progress, one report's status, and
/// download an archive streamed from the agent.
/// </summary>
public static class BugReportEndpoints
{
    public static RouteGroupBuilder MapBugReportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapApiGroup("/api/v1/bug-reports", ApiTags.BugReports);
        group.MapPost("/", StartAsync).WithName("StartBugReport")
            .WithSummary("Start nvidia-bug-report.sh on a node (the running one if one runs)")
            .ProducesProblems(400, 404, 413, 415, 502, 503, 504);
        group.MapGet("/", ListAsync).WithName("ListBugReports")
            .WithSummary("List the bug reports of every node (or one), with progress, paged")
            .ProducesProblems(400, 404, 503);
        group.MapGet("/{node}/{reportId}/status", GetStatusAsync).WithName("GetBugReportStatus")
            .WithSummary("One bug report's status and progress")
            .ProducesProblems(400, 404, 502, 503, 504);
        group.MapGet("/{node}/{reportId}", DownloadAsync).WithName("DownloadBugReport")
            .WithSummary("Download a finished bug report's archive (nvidia-bug-report.log.gz)")
            .Produces<Stream>(StatusCodes.Status200OK, "application/gzip")
            .ProducesProblems(400, 404, 502, 503, 504);
        return group;
    }

    internal static async Task<Accepted<BugReportResource>> StartAsync(
        [FromBody] StartBugReportBody body,
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        IAuditLog audit,
        CancellationToken cancellationToken)
    {
        var caller = CallerIdentity.NameOf(user);
        var node = ApiInputRules.CheckedNodeName("node_name", body.NodeName, required: true)!;
        var report = await audit.AuditAsync("bug_report", caller, node, StatusCodes.Status202Accepted, async () =>
        {
            var agent = router.Resolve(node);
            var started = await agents.StartBugReportAsync(agent, "", caller, cancellationToken).ConfigureAwait(false);
            return BugReportResourceMapper.FromReport(agent.NodeName, started.Report) with { AlreadyRunning = started.AlreadyRunning };
        }, r => (r.Id, r.AlreadyRunning == true ? "already running" : "started")).ConfigureAwait(false);
        return TypedResults.Accepted(report.StatusUrl, report);
    }

    internal static async Task<Ok<BugReportListResource>> ListAsync(
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        CancellationToken cancellationToken,
        [FromQuery(Name = "node")] string? node = null,
        [FromQuery(Name = "limit")] int? limit = null,
        [FromQuery(Name = "page_token")] string? pageToken = null)
    {
        var errors = new RequestErrors();
        node = ApiInputRules.NodeName(errors, "node", node, required: false);
        var page = PageRequest.Read(errors, "bug-reports", $"node={node}", limit, pageToken);
        errors.ThrowIfAny();
        var targets = router.AllOrNode(node);
        var caller = CallerIdentity.NameOf(user);
        var gathered = await agents.GatherAsync(targets, (agent, ct) => agents.ListBugReportsAsync(agent, caller, ct), cancellationToken).ConfigureAwait(false);
        var (reports, next) = page.Take(
            gathered.Items(r => r).Select(r => BugReportResourceMapper.FromReport(r.NodeName, r.Item)),
            r => PageKeys.Join(PageKeys.Descending(r.StartedAt), r.NodeName, r.Id));
        return TypedResults.Ok(new BugReportListResource(
            reports,
            reports.Count,
            [.. gathered.AnsweredNodes.Order(StringComparer.Ordinal)],
            [.. gathered.Errors.OrderBy(e => e.NodeName, StringComparer.Ordinal)],
            next));
    }

    internal static async Task<Ok<BugReportResource>> GetStatusAsync(
        string node,
        string reportId,
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        CancellationToken cancellationToken)
    {
        var agent = router.Resolve(CheckRoute(node, reportId));
        var report = await agents.GetBugReportAsync(agent, reportId, CallerIdentity.NameOf(user), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(BugReportResourceMapper.FromReport(agent.NodeName, report));
    }

    internal static async Task<EmptyHttpResult> DownloadAsync(
        string node,
        string reportId,
        HttpContext http,
        AgentRouter router,
        BugReportDownloader downloader,
        CancellationToken cancellationToken)
    {
        var agent = router.Resolve(CheckRoute(node, reportId));
        await downloader.WriteAsync(agent, CallerIdentity.NameOf(http.User), reportId, http, cancellationToken).ConfigureAwait(false);
        return TypedResults.Empty;
    }

    /// <summary>The node and report id of <c>/api/v1/bug-reports/{node}/{reportId}</c>, checked together.</summary>
    private static string CheckRoute(string node, string reportId)
    {
        var errors = new RequestErrors();
        ApiInputRules.NodeName(errors, "node", node, required: true);
        ApiInputRules.ReportId(errors, "report_id", reportId);
        errors.ThrowIfAny();
        return node;
    }
}
