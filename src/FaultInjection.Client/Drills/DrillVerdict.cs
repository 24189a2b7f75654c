namespace FaultInjection.Client.Drills;

/// <summary>The last server-sent event of a drill (<c>event: verdict</c>); <see cref="Steps"/> is the number of steps.</summary>
public sealed class DrillVerdict
{
    /// <summary>The drill's id.</summary>
    public string DrillId { get; init; } = "";

    /// <summary><c>passed</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public string State { get; init; } = "";

    /// <summary>Why it ended that way.</summary>
    public string? Reason { get; init; }

    /// <summary>The expectations never observed.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>When the verdict was reached.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>How many steps the timeline holds.</summary>
    public int Steps { get; init; }
}
