namespace FaultInjection.Client.Suites;

/// <summary>
/// Body of <c>POST /api/v1/suites</c>: the drills (<see cref="Drills"/>, and/or one per Xid of an expectation profile,
/// <see cref="FromProfile"/>), how many run at once, and whether the first failure stops the suite. faultctl reads this
/// shape from a YAML or JSON suite file (<c>faultctl suite run -f suite.yaml</c>).
/// </summary>
public sealed class SuiteRequest
{
    /// <summary>A name for reports and metrics (the <c>suite</c> label): letters, digits, <c>-_.</c>, at most 63.</summary>
    public string? Name { get; set; }

    /// <summary>Drills running at once (the API's default 1); drills on one node always run one after another.</summary>
    public int? Concurrency { get; set; }

    /// <summary>When true, the first drill that does not pass stops the suite (no further drill starts).</summary>
    public bool? StopOnFailure { get; set; }

    /// <summary>Drills generated from an expectation profile, added after <see cref="Drills"/>.</summary>
    public SuiteProfileRequest? FromProfile { get; set; }

    /// <summary>The drills.</summary>
    public IList<SuiteDrillRequest>? Drills { get; init; }
}
