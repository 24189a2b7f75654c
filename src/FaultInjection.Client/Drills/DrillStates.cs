namespace FaultInjection.Client.Drills;

/// <summary>The values of a drill's <c>state</c>; every one but <see cref="Running"/> is final.</summary>
public static class DrillStates
{
    /// <summary>Injected, waiting for the expectations.</summary>
    public const string Running = "running";
    /// <summary>Every expectation was observed before the deadline.</summary>
    public const string Passed = "passed";
    /// <summary>An expectation was still missing at the deadline, or the injection failed.</summary>
    public const string Failed = "failed";
    /// <summary>Cancelled by a caller (<c>DELETE /api/v1/drills/{id}</c>).</summary>
    public const string Cancelled = "cancelled";
}
