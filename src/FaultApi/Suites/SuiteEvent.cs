namespace FaultApi.Suites;

/// <summary>
/// One entry of a suite's progress (its server-sent event, <c>id:</c> its index): <c>drill_started</c>,
/// <c>drill_ended</c> (with the drill's verdict) or <c>suite_ended</c>.
/// </summary>
public sealed record SuiteEvent(string Event, DateTimeOffset At, int? Index, string? Name, string? NodeName, string? DrillId, SuiteState State, string? Reason);
