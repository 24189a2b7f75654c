namespace FaultApi.BlastRadius;

/// <summary>
/// What the API keeps in Kubernetes (or a file, in static mode) about where it injects: each node's reservations (so an
/// injection in flight through any replica counts before the agent has recorded it, and a node whose agent pod is gone
/// still counts while its fault lasts), and the targets of multi-node requests (so a retry reuses them).
/// </summary>
public sealed class BlastRadiusLedger
{
    public Dictionary<string, List<NodeReservation>> Nodes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>By request id (<c>IdempotencyKeys.ForRequest</c>).</summary>
    public Dictionary<string, TargetRecord> Requests { get; init; } = new(StringComparer.Ordinal);
}
