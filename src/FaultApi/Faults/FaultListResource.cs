using FaultApi.Agents;

namespace FaultApi.Faults;

/// <summary><c>GET /api/v1/faults</c>: the faults gathered from every agent asked, and the nodes that could not answer.</summary>
public sealed record FaultListResource(IReadOnlyList<FaultResource> Faults, int Count, IReadOnlyList<string> Nodes, IReadOnlyList<NodeError> Errors);
