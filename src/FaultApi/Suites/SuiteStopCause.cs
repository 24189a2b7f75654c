namespace FaultApi.Suites;

/// <summary>
/// Why a running suite starts no further drill, read from its record (<see cref="SuiteStop.EndedBy"/>), and how it then
/// ends: <see cref="State"/> (failed for a refused save or under <c>stop_on_failure</c>, cancelled for a cancel from
/// outside the suite) and <see cref="Reason"/>, which its pending drills are skipped with (<c>not started: &lt;reason&gt;</c>).
/// The suite's own reason is <see cref="Reason"/> too, unless <see cref="ByFailure"/>: under <c>stop_on_failure</c> the
/// suite's reason counts the drills that did not pass.
/// </summary>
public sealed record SuiteStopCause(SuiteState State, string Reason, bool ByFailure);
