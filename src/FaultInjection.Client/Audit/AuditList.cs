using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Audit;

/// <summary><c>GET /api/v1/audit</c>: events of every agent, oldest first, the nodes asked, and the nodes that did not answer.</summary>
public sealed class AuditList
{
    /// <summary>The events, newest first, of every node asked.</summary>
    public IReadOnlyList<AuditEvent> Events { get; init; } = [];

    /// <summary>How many events this answer holds.</summary>
    public int Count { get; init; }

    /// <summary>The nodes whose agents answered.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>The nodes whose agents did not answer, and why (the other nodes' events are still listed).</summary>
    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
