using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Nodes;

/// <summary><c>GET /api/v1/nodes</c>: the GPU nodes whose agents answered, and those that did not.</summary>
public sealed class NodeList
{
    /// <summary>The nodes whose agents answered.</summary>
    public IReadOnlyList<Node> Nodes { get; init; } = [];

    /// <summary>How many nodes this answer holds.</summary>
    public int Count { get; init; }

    /// <summary>The nodes whose agents did not answer, and why.</summary>
    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
