namespace FaultInjection.Client.Drills;

/// <summary><c>GET /api/v1/drills?node=</c>: newest first.</summary>
public sealed class DrillList
{
    /// <summary>The drills, newest first.</summary>
    public IReadOnlyList<Drill> Drills { get; init; } = [];

    /// <summary>How many drills this answer holds.</summary>
    public int Count { get; init; }
}
