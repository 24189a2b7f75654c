namespace FaultInjection.Client.Suites;

/// <summary>The values of a suite's <c>state</c> (<see cref="Running"/>, then a verdict) and of its drills' (which add the others).</summary>
public static class SuiteStates
{
    /// <summary>A drill not started yet.</summary>
    public const string Pending = "pending";
    /// <summary>A drill being started.</summary>
    public const string Starting = "starting";
    /// <summary>The suite (or a drill) is running.</summary>
    public const string Running = "running";
    /// <summary>Every drill passed (a drill: every expectation observed).</summary>
    public const string Passed = "passed";
    /// <summary>At least one drill did not pass (a drill: an expectation never observed before its timeout).</summary>
    public const string Failed = "failed";
    /// <summary>Cancelled (DELETE, the emergency stop).</summary>
    public const string Cancelled = "cancelled";
    /// <summary>A drill that could not start (its problem is the reason).</summary>
    public const string Error = "error";
    /// <summary>A drill never started: the suite stopped first.</summary>
    public const string Skipped = "skipped";
}
