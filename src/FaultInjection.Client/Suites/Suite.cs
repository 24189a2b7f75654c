using FaultInjection.Client.Drills;

namespace FaultInjection.Client.Suites;

/// <summary>
/// A suite as <c>GET /api/v1/suites/{id}</c> returns it: its drills with their verdicts and timelines, its progress
/// (<see cref="Events"/>), the per-expectation <see cref="Summary"/>, and its own verdict (<see cref="State"/>, <see cref="Reason"/>).
/// </summary>
public sealed class Suite
{
    /// <summary>The suite's id.</summary>
    public string SuiteId { get; init; } = "";

    /// <summary>The suite's name (the <c>suite</c> label of its metrics and the JUnit testsuite's name), if it was given one.</summary>
    public string? Name { get; init; }

    /// <summary><see cref="SuiteStates"/>: <c>running</c>, then <c>passed</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public string State { get; init; } = "";

    /// <summary>Why it ended (the drills that did not pass, the cancellation's reason).</summary>
    public string? Reason { get; init; }

    /// <summary>Drills running at once.</summary>
    public int Concurrency { get; init; }

    /// <summary>Whether the first drill that did not pass stopped the suite.</summary>
    public bool StopOnFailure { get; init; }

    /// <summary>Who started the suite.</summary>
    public string Caller { get; init; } = "";

    /// <summary>When the suite was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the suite ended; null while running.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The drills, one per node (a <c>node_selector</c> drill is expanded into one entry per node chosen).</summary>
    public IReadOnlyList<SuiteDrill> Drills { get; init; } = [];

    /// <summary>The progress so far, in order (what the event stream sends).</summary>
    public IReadOnlyList<SuiteEvent> Events { get; init; } = [];

    /// <summary>Each expectation across the drills: passed of total, p50 / p95 / max time to the step.</summary>
    public IReadOnlyList<SuiteExpectationSummary> Summary { get; init; } = [];

    /// <summary>True once the suite is no longer <c>running</c>.</summary>
    public bool IsFinished => State.Length > 0 && State != SuiteStates.Running;

    /// <summary>True when the suite passed: every drill passed.</summary>
    public bool Passed => State == SuiteStates.Passed && Drills.All(d => d.State == DrillStates.Passed);
}
