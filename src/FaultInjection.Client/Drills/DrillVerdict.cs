namespace FaultInjection.Client.Drills;

/// <summary>The last server-sent event of a drill (<c>event: verdict</c>); <see cref="Steps"/> is the number of steps.</summary>
public sealed class DrillVerdict
{
    public string DrillId { get; init; } = "";

    public string State { get; init; } = "";

    public string? Reason { get; init; }

    public IReadOnlyList<string> Missing { get; init; } = [];

    public DateTimeOffset? EndedAt { get; init; }

    public int Steps { get; init; }
}
