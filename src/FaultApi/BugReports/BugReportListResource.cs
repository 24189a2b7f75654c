using FaultApi.Agents;

namespace FaultApi.BugReports;

/// <summary><c>GET /api/v1/bug-reports</c>: reports gathered from every agent asked (newest first), and the nodes that did not answer.</summary>
public sealed record BugReportListResource(IReadOnlyList<BugReportResource> Reports, int Count, IReadOnlyList<string> Nodes, IReadOnlyList<NodeError> Errors);
