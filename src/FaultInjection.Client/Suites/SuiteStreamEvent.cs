namespace FaultInjection.Client.Suites;

/// <summary>
/// One server-sent event of <c>GET /api/v1/suites/{id}/events</c>: a progress entry (<see cref="Entry"/> set,
/// <see cref="Index"/> its position), then <c>verdict</c> with the whole finished <see cref="Suite"/>, or <c>deleted</c>
/// if the record disappeared.
/// </summary>
public sealed class SuiteStreamEvent
{
    /// <summary>The event name of the verdict (the last event; its data is the finished suite).</summary>
    public const string VerdictEvent = "verdict";
    /// <summary>The event name sent when the suite's record disappeared.</summary>
    public const string DeletedEvent = "deleted";

    /// <summary>A <see cref="SuiteEvent"/> name, <see cref="VerdictEvent"/> or <see cref="DeletedEvent"/>.</summary>
    public string Event { get; init; } = "";

    /// <summary>The entry's index in <see cref="Suites.Suite.Events"/> (its event id), for progress entries.</summary>
    public int? Index { get; init; }

    /// <summary>The progress entry, else null.</summary>
    public SuiteEvent? Entry { get; init; }

    /// <summary>The finished suite of the <c>verdict</c> event, else null.</summary>
    public Suite? Suite { get; init; }
}
