namespace FaultInjection.Client.Drills;

/// <summary>
/// One server-sent event of <c>GET /api/v1/drills/{id}/events</c>: <c>step</c> (<see cref="Step"/> set, <see cref="Index"/>
/// its position in the timeline), then <c>verdict</c> (<see cref="Verdict"/> set), or <c>deleted</c> if the record disappeared.
/// </summary>
public sealed class DrillEvent
{
    public const string StepEvent = "step";
    public const string VerdictEvent = "verdict";
    public const string DeletedEvent = "deleted";

    public string Event { get; init; } = "";

    /// <summary>The step's index for <c>step</c> events, else null.</summary>
    public int? Index { get; init; }

    public DrillStep? Step { get; init; }

    public DrillVerdict? Verdict { get; init; }
}
