using System.Text.Json.Serialization;

namespace FaultApi.Suites;

/// <summary>Body of <c>POST /api/v1/suites</c>: the drills, how many run at once, and whether the first failure stops the suite.</summary>
public sealed class SuiteBody
{
    /// <summary>A name for reports and metrics (the <c>suite</c> label): letters, digits, <c>-_.</c>, at most 63.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Drills running at once (default 1, at most <c>Suites:MaxConcurrency</c>); drills on one node always run one after another.</summary>
    [JsonPropertyName("concurrency")]
    public int? Concurrency { get; set; }

    /// <summary>When true, the first drill that does not pass stops the suite: no further drill starts (running ones finish).</summary>
    [JsonPropertyName("stop_on_failure")]
    public bool? StopOnFailure { get; set; }

    /// <summary>Drills generated from an expectation profile: one per drilled Xid on a node pool (added after <c>drills</c>).</summary>
    [JsonPropertyName("from_profile")]
    public SuiteProfileBody? FromProfile { get; set; }

    [JsonPropertyName("drills")]
    public IList<SuiteDrillBody?>? Drills { get; init; }
}
