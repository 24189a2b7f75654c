namespace FaultApi.Drills;

/// <summary>
/// One observed step of a drill: <c>injected</c> (t0), or the expectation it met (<c>condition:SysLogsXIDError</c>,
/// <c>cordon</c>, ...); when the API saw it, seconds since the injection, and what it saw (<c>evidence</c>).
/// </summary>
public sealed record DrillStep(string Step, DateTimeOffset ObservedAt, double SecondsSinceInjection, IReadOnlyDictionary<string, string> Evidence);
