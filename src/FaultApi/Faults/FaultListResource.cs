using FaultApi.Agents;

namespace FaultApi.Faults;

/// <summary>
/// <c>GET /api/v1/faults</c>: one page of the faults gathered from every agent asked (oldest first by <c>injected_at</c>,
/// then node and fault id), <c>count</c> on this page, the nodes that could not answer, and the next page's token
/// (<c>null</c> on the last page).
/// </summary>
public sealed record FaultListResource(IReadOnlyList<FaultResource> Faults, int Count, IReadOnlyList<string> Nodes, IReadOnlyList<NodeError> Errors, string? NextPageToken);
