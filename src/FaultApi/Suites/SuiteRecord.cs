using System.Text.Json.Serialization;
using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>A suite as stored (the <c>suite.json</c> of its ConfigMap) and returned by the API (snake_case JSON).</summary>
public sealed class SuiteRecord : ILeasedRecord
{
    public string SuiteId { get; set; } = "";

    public string? Name { get; set; }

    public SuiteState State { get; set; } = SuiteState.Running;

    /// <summary>Why it ended, within <see cref="SuiteRecordCaps.SuiteReasonBytes"/>.</summary>
    public string? Reason { get; set => field = SuiteRecordCaps.Text(value, SuiteRecordCaps.SuiteReasonBytes); }

    public int Concurrency { get; set; } = 1;

    public bool StopOnFailure { get; set; }

    public string Caller { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public IList<SuiteDrill> Drills { get; init; } = [];

    /// <summary>The progress, in order (the event stream's entries).</summary>
    public IList<SuiteEvent> Events { get; init; } = [];

    /// <summary>Each expectation across the drills: passed of total, p50 / p95 / max time to the step.</summary>
    public IReadOnlyList<SuiteExpectationSummary> Summary => SuiteSummary.Of(Drills);

    [JsonIgnore]
    public bool IsFinal => State != SuiteState.Running;

    string ILeasedRecord.Id => SuiteId;

    string ILeasedRecord.StateName => State.JsonName();

    public void Add(SuiteEvent suiteEvent) => Events.Add(suiteEvent);
}
