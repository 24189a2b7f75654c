using FaultApi.Suites;

namespace FaultApi.Tests.Suites;

/// <summary>
/// <see cref="SuiteStop.EndedBy"/>, the one rule of how a running suite's drills end it (the live runner's end, a resumed
/// runner's and the reader's): a refusal over a cancel from outside over a failure under stop_on_failure; among cancels
/// the first by <c>ended_at</c>, not by index.
/// </summary>
public sealed class SuiteStopTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EndedBy_TwoOutsideCancels_TheFirstByItsEndNotByIndex()
    {
        var suite = Suite(stopOnFailure: false, Drill(0, SuiteState.Cancelled, "cancelled by alice: second", 2), Drill(1, SuiteState.Cancelled, "cancelled by alice: first", 1), Drill(2, SuiteState.Pending));

        Assert.Equal(new SuiteStopCause(SuiteState.Cancelled, "cancelled by alice: first", ByFailure: false), SuiteStop.EndedBy(suite));
        Assert.True(SuiteStop.StopsScheduling(suite));
    }

    [Fact]
    public void EndedBy_RefusalBesideAnEarlierOutsideCancelAndAFailureUnderStopOnFailure_TheRefusalFailed()
    {
        var refusal = $"{SuiteRecordRefusedException.EndReason}: the Kubernetes API refused it (422 Invalid)";
        var suite = Suite(stopOnFailure: true, Drill(0, SuiteState.Failed, "timed out", 1), Drill(1, SuiteState.Cancelled, "cancelled by alice: outside", 2), Drill(2, SuiteState.Cancelled, refusal, 3));

        Assert.Equal(new SuiteStopCause(SuiteState.Failed, refusal, ByFailure: false), SuiteStop.EndedBy(suite));
    }

    [Fact]
    public void EndedBy_OutsideCancelBesideAnEarlierFailureUnderStopOnFailure_TheCancel()
    {
        var suite = Suite(stopOnFailure: true, Drill(0, SuiteState.Failed, "timed out", 1), Drill(1, SuiteState.Cancelled, null, 2));

        Assert.Equal(new SuiteStopCause(SuiteState.Cancelled, "drill d1 was cancelled", ByFailure: false), SuiteStop.EndedBy(suite));
    }

    [Fact]
    public void EndedBy_FailuresUnderStopOnFailure_TheFirstByIndexNamed_ByFailure()
    {
        var suite = Suite(stopOnFailure: true, Drill(0, SuiteState.Passed, "ok", 1), Drill(1, SuiteState.Error, "Node cordoned", 3), Drill(2, SuiteState.Failed, "timed out", 2), Drill(3, SuiteState.Pending));

        Assert.Equal(new SuiteStopCause(SuiteState.Failed, "the suite stops on the first failure (drill-1 on node-1 error)", ByFailure: true), SuiteStop.EndedBy(suite));
    }

    [Fact]
    public void EndedBy_FailureWithoutStopOnFailure_OrARunningDrillUnderIt_Null()
    {
        Assert.Null(SuiteStop.EndedBy(Suite(stopOnFailure: false, Drill(0, SuiteState.Failed, "timed out", 1), Drill(1, SuiteState.Pending))));
        var running = Suite(stopOnFailure: true, Drill(0, SuiteState.Running), Drill(1, SuiteState.Pending));
        Assert.Null(SuiteStop.EndedBy(running));
        Assert.False(SuiteStop.StopsScheduling(running));
    }

    private static SuiteRecord Suite(bool stopOnFailure, params SuiteDrill[] drills) => new() { SuiteId = "s", StopOnFailure = stopOnFailure, Drills = drills };

    private static SuiteDrill Drill(int index, SuiteState state, string? reason = null, int? endedSecond = null) => new()
    {
        Index = index,
        Name = $"drill-{index}",
        NodeName = $"node-{index}",
        State = state,
        DrillId = $"d{index}",
        Reason = reason,
        EndedAt = endedSecond is { } second ? T0.AddSeconds(second) : null,
    };
}
