using FaultApi.Agents;

namespace FaultApi.Audit;

/// <summary>
/// The body of <c>GET /api/v1/audit</c>: one page of the events from every agent, oldest first (then node, action, fault,
/// target), <c>count</c> on this page, the nodes that did not answer, and the next page's token (<c>null</c> on the last).
/// </summary>
public sealed record AuditListResource(IReadOnlyList<AuditEventResource> Events, int Count, IReadOnlyList<string> Nodes, IReadOnlyList<NodeError> Errors, string? NextPageToken);
