namespace FaultInjection.Client.Drills;

/// <summary><c>GET /api/v1/drills?node=</c>: newest first.</summary>
public sealed class DrillList
{
    public IReadOnlyList<Drill> Drills { get; init; } = [];

    public int Count { get; init; }
}
