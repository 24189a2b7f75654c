using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>
/// When a running suite starts no further drill, read from its record: the rule its runner keeps as drills end, that a
/// runner resuming the suite (a lease takeover, a restart) rebuilds from the record, and that every replica's reader
/// applies (<see cref="SuiteService"/>'s "no drill left to run"). A drill recorded cancelled was cancelled from outside
/// the suite (DELETE of the drill, the emergency stop; the suite's own cancel writes the suite's end first, so a running
/// record holds no drill the suite cancelled): the suite ends cancelled with that drill's reason. A drill its runner
/// cancelled because the suite's record could not be saved (<see cref="SuiteRecordRefusedException.EndReason"/>: that
/// runner ended the suite failed, and its end may never have been written) is the exception: the suite ends failed with
/// that reason (<see cref="RefusedBy"/>), as that runner ended it. With <c>stop_on_failure</c>, a drill ended without
/// passing stops it too. <see cref="EndedBy"/> is the one answer of how such a suite ends: a refusal over a cancel over
/// <c>stop_on_failure</c>; among cancels (and among refusals) the drill that ended first, by its <c>ended_at</c>, whatever
/// order a runner learnt them in.
/// </summary>
public static class SuiteStop
{
    /// <summary>The reason the suite ends cancelled with, from the drill recorded cancelled first (by its end); null when none was.</summary>
    public static string? CancelledBy(SuiteRecord suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return FirstEnded(suite, d => d.State == SuiteState.Cancelled && !IsRefusalEnd(d)) is { } cancelled ? ReasonOf(cancelled) : null;
    }

    /// <summary>
    /// The reason the suite ends failed with when its runner cancelled a drill because the suite's record could not be
    /// saved (<see cref="IsRefusalEnd"/>, the first by its end); null when none was.
    /// </summary>
    public static string? RefusedBy(SuiteRecord suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return FirstEnded(suite, IsRefusalEnd)?.Reason;
    }

    /// <summary>
    /// True for a drill the suite's own runner cancelled because the suite's record could not be saved
    /// (<see cref="SuiteRecordRefusedException.EndReason"/>; its record, written, says so), not a cancel from outside.
    /// </summary>
    public static bool IsRefusalEnd(SuiteDrill drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        return drill.State == SuiteState.Cancelled && SuiteRecordRefusedException.IsEndReason(drill.Reason);
    }

    /// <summary>The reason of <paramref name="cancelled"/>'s cancel, as the suite ends with it.</summary>
    public static string ReasonOf(SuiteDrill cancelled)
    {
        ArgumentNullException.ThrowIfNull(cancelled);
        return cancelled.Reason ?? $"drill {cancelled.DrillId} was cancelled";
    }

    /// <summary>
    /// Why no pending drill of <paramref name="suite"/> starts any more, and how the suite then ends; null while drills may
    /// still start. A drill its runner cancelled for a refused save (<see cref="RefusedBy"/>: failed, with that reason)
    /// stands over a cancel from outside (<see cref="CancelledBy"/>: cancelled, with that drill's reason), which stands
    /// over a drill ended without passing under <c>stop_on_failure</c> (failed; the first such drill by index is named).
    /// </summary>
    public static SuiteStopCause? EndedBy(SuiteRecord suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (RefusedBy(suite) is { } refused)
        {
            return new SuiteStopCause(SuiteState.Failed, refused, ByFailure: false);
        }

        if (CancelledBy(suite) is { } cancelled)
        {
            return new SuiteStopCause(SuiteState.Cancelled, cancelled, ByFailure: false);
        }

        return suite.StopOnFailure && suite.Drills.FirstOrDefault(d => d.State.IsFinal() && d.State != SuiteState.Passed) is { } failed
            ? new SuiteStopCause(SuiteState.Failed, $"the suite stops on the first failure ({failed.Name} on {failed.NodeName} {failed.State.JsonName()})", ByFailure: true)
            : null;
    }

    /// <summary>True when no pending drill of <paramref name="suite"/> starts any more (<see cref="EndedBy"/> names why).</summary>
    public static bool StopsScheduling(SuiteRecord suite) => EndedBy(suite) is not null;

    /// <summary>Of the drills <paramref name="which"/> picks, the one that ended first by its <c>ended_at</c> (then by index; a drill without one last), whatever order a runner learnt them in.</summary>
    private static SuiteDrill? FirstEnded(SuiteRecord suite, Func<SuiteDrill, bool> which) =>
        suite.Drills.Where(which).OrderBy(d => d.EndedAt ?? DateTimeOffset.MaxValue).ThenBy(d => d.Index).FirstOrDefault();
}
