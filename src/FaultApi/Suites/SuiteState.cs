namespace FaultApi.Suites;

/// <summary>
/// The states of a suite (<c>running</c>, then <c>passed</c>, <c>failed</c> or <c>cancelled</c>) and of its drills, which
/// add <c>pending</c> (not started yet), <c>starting</c>, <c>error</c> (the drill could not start: its problem is the
/// reason) and <c>skipped</c> (never started: the suite stopped first).
/// </summary>
public static class SuiteState
{
    public const string Pending = "pending";
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Error = "error";
    public const string Skipped = "skipped";

    public static bool IsFinal(string state) => state is Passed or Failed or Cancelled or Error or Skipped;
}
