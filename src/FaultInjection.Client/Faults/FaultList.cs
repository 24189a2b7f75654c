namespace FaultInjection.Client.Faults;

/// <summary><c>GET /api/v1/faults</c>: faults gathered from the agents, the nodes asked, and the nodes that did not answer.</summary>
public sealed class FaultList
{
    public IReadOnlyList<Fault> Faults { get; init; } = [];

    public int Count { get; init; }

    public IReadOnlyList<string> Nodes { get; init; } = [];

    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
