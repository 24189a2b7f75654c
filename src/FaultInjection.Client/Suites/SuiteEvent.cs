namespace FaultInjection.Client.Suites;

/// <summary>One entry of a suite's progress: <c>drill_started</c>, <c>drill_ended</c> (with the drill's verdict) or <c>suite_ended</c>.</summary>
public sealed class SuiteEvent
{
    /// <summary>The event name of a drill the suite started.</summary>
    public const string DrillStarted = "drill_started";
    /// <summary>The event name of a drill that ended (its state is its verdict).</summary>
    public const string DrillEnded = "drill_ended";
    /// <summary>The event name of the suite's end.</summary>
    public const string SuiteEnded = "suite_ended";

    /// <summary><see cref="DrillStarted"/>, <see cref="DrillEnded"/> or <see cref="SuiteEnded"/>.</summary>
    public string Event { get; init; } = "";

    /// <summary>When it happened.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The drill's index in the suite (drill events).</summary>
    public int? Index { get; init; }

    /// <summary>The drill's name (drill events).</summary>
    public string? Name { get; init; }

    /// <summary>The drill's node (drill events).</summary>
    public string? NodeName { get; init; }

    /// <summary>The drill's id (drill events, once started).</summary>
    public string? DrillId { get; init; }

    /// <summary>The drill's (or, for <see cref="SuiteEnded"/>, the suite's) state.</summary>
    public string State { get; init; } = "";

    /// <summary>Why it ended.</summary>
    public string? Reason { get; init; }
}
