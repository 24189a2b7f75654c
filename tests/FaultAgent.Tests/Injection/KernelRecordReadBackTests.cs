using System.Text;
using FaultAgent.Injection;

namespace FaultAgent.Tests.Injection;

/// <summary>The read-back rule: only OUR record counts — at or after the expected sequence, exact text, level and facility, nothing missed on the way.</summary>
public sealed class KernelRecordReadBackTests
{
    private static readonly KernelLogLine Xid = new(3, "NVRM: NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.");
    private static readonly KernelLogLine Companion = new(4, "NVRM: GPU at PCI:0000:3b:00: GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b");

    private static bool Feed(KernelRecordReadBack readBack, ulong sequence, KernelLogLine line, int facility = 1) =>
        readBack.Observe(sequence, facility, line.Level, Encoding.ASCII.GetBytes(line.Text));

    [Fact]
    public void Observe_IdenticalRecordBeforeTheExpectedSequence_NotOurs()
    {
        var readBack = new KernelRecordReadBack([Xid], expectedFrom: 100);

        Assert.False(Feed(readBack, 99, Xid));
        Assert.True(Feed(readBack, 100, Xid));
        Assert.Equal(100UL, Assert.Single(readBack.Matched).Sequence);
        Assert.Equal(ReadBackOutcome.Verified, readBack.Outcome);
    }

    [Fact]
    public void Observe_OthersRecordsInBetween_EachLineMatchedInOrder()
    {
        var readBack = new KernelRecordReadBack([Xid, Companion], expectedFrom: 10);

        Assert.False(Feed(readBack, 10, new KernelLogLine(6, "someone else")));
        Assert.False(Feed(readBack, 11, Companion));
        Assert.True(Feed(readBack, 12, Xid));
        Assert.False(Feed(readBack, 13, Xid));
        Assert.True(Feed(readBack, 14, Companion));

        Assert.Equal([12UL, 14UL], readBack.Matched.Select(r => r.Sequence));
        Assert.Equal(ReadBackOutcome.Verified, readBack.Outcome);
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(3, 0)]
    public void Observe_OtherLevelOrFacility_NotOurs(int level, int facility)
    {
        var readBack = new KernelRecordReadBack([Xid], expectedFrom: 1);

        Assert.False(readBack.Observe(1, facility, level, Encoding.ASCII.GetBytes(Xid.Text)));
        Assert.Equal(ReadBackOutcome.NotFound, readBack.Outcome);
    }

    [Fact]
    public void Observe_SequencesMissedThenIdenticalRecord_UnknownNotVerified()
    {
        var readBack = new KernelRecordReadBack([Xid], expectedFrom: 50);

        // 50..59 were overwritten before they were read (ours may have been among them); 60 is identical but proves nothing.
        Assert.False(Feed(readBack, 60, Xid));

        Assert.Empty(readBack.Matched);
        Assert.True(readBack.SawGap);
        Assert.Equal(50UL, readBack.GapAt);
        Assert.Equal(ReadBackOutcome.Unknown, readBack.Outcome);
    }

    [Fact]
    public void Observe_GapAfterTheFirstLine_FirstLandedSecondUnknown()
    {
        var readBack = new KernelRecordReadBack([Xid, Companion], expectedFrom: 7);

        Assert.True(Feed(readBack, 7, Xid));
        Assert.False(Feed(readBack, 20, Companion));

        Assert.Equal(7UL, Assert.Single(readBack.Matched).Sequence);
        Assert.Equal(ReadBackOutcome.Unknown, readBack.Outcome);
        Assert.Equal(8UL, readBack.GapAt);
    }

    [Fact]
    public void Observe_EverySequenceSeenLineAbsent_NotFound()
    {
        var readBack = new KernelRecordReadBack([Xid], expectedFrom: 5);

        Feed(readBack, 5, Companion);
        Feed(readBack, 6, Companion);

        Assert.False(readBack.SawGap);
        Assert.Equal(ReadBackOutcome.NotFound, readBack.Outcome);
    }
}
