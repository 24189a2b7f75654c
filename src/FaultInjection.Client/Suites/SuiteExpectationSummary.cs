namespace FaultInjection.Client.Suites;

/// <summary>
/// One expectation across a suite: how many of the drills expecting it saw it (<see cref="Passed"/> of <see cref="Total"/>)
/// and the time from the injection to the step (nearest-rank p50 / p95, max; null when no drill saw it).
/// </summary>
public sealed class SuiteExpectationSummary
{
    /// <summary>The expectation, e.g. <c>cordon</c>.</summary>
    public string Expectation { get; init; } = "";

    /// <summary>Drills that observed it.</summary>
    public int Passed { get; init; }

    /// <summary>Drills that expected it.</summary>
    public int Total { get; init; }

    /// <summary>Median seconds from the injection to the step.</summary>
    public double? P50Seconds { get; init; }

    /// <summary>95th percentile seconds from the injection to the step.</summary>
    public double? P95Seconds { get; init; }

    /// <summary>Longest seconds from the injection to the step.</summary>
    public double? MaxSeconds { get; init; }

    /// <summary>The line people read, e.g. <c>cordon: 18/18, p50 4.1 s, p95 9.8 s, max 12.0 s</c>.</summary>
    public string Text { get; init; } = "";
}
