namespace FaultApi.Suites;

/// <summary>
/// One entry of a suite's progress (its server-sent event, <c>id:</c> its index): <c>drill_started</c>,
/// <c>drill_ended</c> (with the drill's verdict) or <c>suite_ended</c>. Its reason is a notice, within
/// <see cref="SuiteRecordCaps.EventReasonBytes"/> (the whole one is in the drill's entry or the suite's reason).
/// </summary>
public sealed record SuiteEvent(string Event, DateTimeOffset At, int? Index, string? Name, string? NodeName, string? DrillId, SuiteState State, string? Reason)
{
    // Every member declared here, in the parameters' order (the JSON's order), so that two can be capped.
    public string Event { get; init; } = Event;

    public DateTimeOffset At { get; init; } = At;

    public int? Index { get; init; } = Index;

    public string? Name { get; init; } = Name;

    public string? NodeName { get; init; } = NodeName;

    public string? DrillId { get; init; } = SuiteRecordCaps.Text(DrillId, SuiteRecordCaps.IdBytes);

    public SuiteState State { get; init; } = State;

    public string? Reason { get; init; } = SuiteRecordCaps.Text(Reason, SuiteRecordCaps.EventReasonBytes);
}
