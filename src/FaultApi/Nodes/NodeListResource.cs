using FaultApi.Agents;

namespace FaultApi.Nodes;

/// <summary><c>GET /api/v1/nodes</c>: the GPU nodes whose agents answered, and those that did not.</summary>
public sealed record NodeListResource(IReadOnlyList<NodeResource> Nodes, int Count, IReadOnlyList<NodeError> Errors);
