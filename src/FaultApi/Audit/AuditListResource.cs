using FaultApi.Agents;

namespace FaultApi.Audit;

/// <summary>The body of <c>GET /api/v1/audit</c>: events from every agent, oldest first, and the nodes that did not answer.</summary>
public sealed record AuditListResource(IReadOnlyList<AuditEventResource> Events, int Count, IReadOnlyList<string> Nodes, IReadOnlyList<NodeError> Errors);
