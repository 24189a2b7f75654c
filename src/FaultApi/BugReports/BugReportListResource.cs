using FaultApi.Agents;

namespace FaultApi.BugReports;

/// <summary>
/// <c>GET /api/v1/bug-reports</c>: one page of the reports gathered from every agent asked (newest first, then node and
/// id), <c>count</c> on this page, the nodes that did not answer, and the next page's token (<c>null</c> on the last).
/// </summary>
public sealed record BugReportListResource(IReadOnlyList<BugReportResource> Reports, int Count, IReadOnlyList<string> Nodes, IReadOnlyList<NodeError> Errors, string? NextPageToken);
