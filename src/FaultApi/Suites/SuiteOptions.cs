namespace FaultApi.Suites;

/// <summary>The <c>Suites</c> settings (leases, sync and event-stream caps are the drills': <c>Drills:*</c>).</summary>
public sealed class SuiteOptions
{
    public const string SectionName = "Suites";

    /// <summary>Drills one suite may hold (after <c>node_selector</c> drills are expanded to their nodes).</summary>
    public int MaxDrills { get; set; } = 100;

    /// <summary>Largest <c>concurrency</c> a suite may ask for.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Finished suite records kept at most; beyond, the longest-ended are deleted first. Running suites are never deleted.</summary>
    public int MaxRecords { get; set; } = 200;
}
