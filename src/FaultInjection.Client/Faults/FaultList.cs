namespace FaultInjection.Client.Faults;

/// <summary><c>GET /api/v1/faults</c>: faults gathered from the agents, the nodes asked, and the nodes that did not answer.</summary>
public sealed class FaultList
{
    /// <summary>The faults, of every node asked.</summary>
    public IReadOnlyList<Fault> Faults { get; init; } = [];

    /// <summary>How many faults this answer holds.</summary>
    public int Count { get; init; }

    /// <summary>The nodes whose agents answered.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>The nodes whose agents did not answer, and why (the other nodes' faults are still listed).</summary>
    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
