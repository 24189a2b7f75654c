namespace FaultInjection.Client.Drills;

/// <summary>
/// One server-sent event of <c>GET /api/v1/drills/{id}/events</c>: <c>step</c> (<see cref="Step"/> set, <see cref="Index"/>
/// its position in the timeline), then <c>verdict</c> (<see cref="Verdict"/> set), or <c>deleted</c> if the record disappeared.
/// </summary>
public sealed class DrillEvent
{
    /// <summary>The event name of an observed step.</summary>
    public const string StepEvent = "step";
    /// <summary>The event name of the verdict (the last event).</summary>
    public const string VerdictEvent = "verdict";
    /// <summary>The event name sent when the drill's record disappeared.</summary>
    public const string DeletedEvent = "deleted";

    /// <summary><see cref="StepEvent"/>, <see cref="VerdictEvent"/> or <see cref="DeletedEvent"/>.</summary>
    public string Event { get; init; } = "";

    /// <summary>The step's index for <c>step</c> events, else null.</summary>
    public int? Index { get; init; }

    /// <summary>The step of a <c>step</c> event, else null.</summary>
    public DrillStep? Step { get; init; }

    /// <summary>The verdict of a <c>verdict</c> event, else null.</summary>
    public DrillVerdict? Verdict { get; init; }
}
