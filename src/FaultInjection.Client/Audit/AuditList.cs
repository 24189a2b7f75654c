using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Audit;

/// <summary><c>GET /api/v1/audit</c>: events of every agent, oldest first, the nodes asked, and the nodes that did not answer.</summary>
public sealed class AuditList
{
    public IReadOnlyList<AuditEvent> Events { get; init; } = [];

    public int Count { get; init; }

    public IReadOnlyList<string> Nodes { get; init; } = [];

    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
