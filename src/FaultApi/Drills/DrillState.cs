namespace FaultApi.Drills;

/// <summary>The states of a drill (<c>state</c> in its JSON); every state but <see cref="Running"/> is final.</summary>
public static class DrillState
{
    public const string Running = "running";
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
