namespace FaultInjection.Client.Drills;

/// <summary>The values of a drill's <c>state</c>; every one but <see cref="Running"/> is final.</summary>
public static class DrillStates
{
    public const string Running = "running";
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
