using FaultApi.Drills;

namespace FaultApi.Suites;

/// <summary>What <see cref="SuiteState"/> says of a suite's drill.</summary>
public static class SuiteDrillStates
{
    /// <summary>True for the states a drill of a suite ends in (<c>passed</c>, <c>failed</c>, <c>cancelled</c>, <c>error</c>, <c>skipped</c>).</summary>
    public static bool IsFinal(this SuiteState state) => state is SuiteState.Passed or SuiteState.Failed or SuiteState.Cancelled or SuiteState.Error or SuiteState.Skipped;

    /// <summary>The suite's state of a drill in <paramref name="state"/> (the same name).</summary>
    public static SuiteState Of(DrillState state) => state switch
    {
        DrillState.Running => SuiteState.Running,
        DrillState.Passed => SuiteState.Passed,
        DrillState.Failed => SuiteState.Failed,
        DrillState.Cancelled => SuiteState.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a drill state"),
    };
}
