using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Nodes;

/// <summary><c>GET /api/v1/nodes</c>: the GPU nodes whose agents answered, and those that did not.</summary>
public sealed class NodeList
{
    public IReadOnlyList<Node> Nodes { get; init; } = [];

    public int Count { get; init; }

    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
