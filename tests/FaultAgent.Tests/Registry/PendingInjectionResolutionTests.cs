using FaultAgent.Injection;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>What a pending entry left by a crash becomes, from the kernel log records at and after its sequence.</summary>
public sealed class PendingInjectionResolutionTests : IDisposable
{
    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    private FaultRecord Planned() => _context.Planned("f", "xid line") with
    {
        Records = [new FaultKernelRecord("xid line", 3, 1, 0, 0, null), new FaultKernelRecord("companion", 4, 1, 0, 0, null)],
    };

    private static KernelLogRecord Record(ulong sequence, int level, string text) => new(sequence, sequence * 10, 1, level, text);

    [Fact]
    public void Resolve_EveryRecordOurs_ActiveWithProof()
    {
        var resolved = PendingInjectionResolution.Resolve(Planned(), 100, [Record(100, 3, "xid line"), Record(101, 6, "other"), Record(102, 4, "companion")], _context.Time.GetUtcNow());

        Assert.Equal(FaultState.Active, resolved!.State);
        Assert.Equal([100UL, 102UL], resolved.Records.Select(r => r.Sequence));
        Assert.Empty(resolved.UnconfirmedRecords);
    }

    [Fact]
    public void Resolve_NoneWrittenEverySequenceSeen_Null()
    {
        Assert.Null(PendingInjectionResolution.Resolve(Planned(), 100, [Record(100, 6, "other")], _context.Time.GetUtcNow()));
        Assert.Null(PendingInjectionResolution.Resolve(Planned(), 100, [], _context.Time.GetUtcNow()));
    }

    [Fact]
    public void Resolve_FirstRecordOnly_PartiallyWrittenNamingWhatLanded()
    {
        var resolved = PendingInjectionResolution.Resolve(Planned(), 100, [Record(100, 3, "xid line"), Record(101, 6, "other")], _context.Time.GetUtcNow());

        Assert.Equal(FaultState.PartiallyWritten, resolved!.State);
        Assert.Equal(FaultWriteOutcome.PartiallyWritten, resolved.WriteOutcome);
        Assert.Equal(100UL, Assert.Single(resolved.Records).Sequence);
        Assert.Equal("companion", Assert.Single(resolved.UnconfirmedRecords).Text);
        Assert.Contains("records 1-1 of 2 are in the kernel log", resolved.WriteError, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RotatedOutThenIdenticalRecords_OutcomeUnknownNotActive()
    {
        // The ring starts at 140 now: 100..139 are gone, ours may have been there; identical records later prove nothing.
        var resolved = PendingInjectionResolution.Resolve(Planned(), 100, [Record(140, 3, "xid line"), Record(141, 4, "companion")], _context.Time.GetUtcNow());

        Assert.Equal(FaultState.OutcomeUnknown, resolved!.State);
        Assert.Equal(FaultWriteOutcome.Unknown, resolved.WriteOutcome);
        Assert.Empty(resolved.Records);
        Assert.Equal(2, resolved.UnconfirmedRecords.Count);
        Assert.Contains("from sequence 100 on", resolved.WriteError, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_BoundedAndIdenticalRecordsFromTheBoundOn_Null()
    {
        // An entry kept unresolved by an earlier start, bounded by the next life's first batch at 102: the identical
        // records at 102 and 103 are that life's, never this entry's.
        var records = new[] { Record(100, 6, "other"), Record(101, 6, "other"), Record(102, 3, "xid line"), Record(103, 4, "companion") };

        Assert.Null(PendingInjectionResolution.Resolve(Planned(), 100, 102, records, _context.Time.GetUtcNow()));
        Assert.Null(PendingInjectionResolution.Resolve(Planned(), 102, 102, records, _context.Time.GetUtcNow()));
        Assert.Equal(FaultState.Active, PendingInjectionResolution.Resolve(Planned(), 100, records, _context.Time.GetUtcNow())!.State);
    }

    [Fact]
    public void Resolve_BoundedFirstLineFoundSecondOnlyFromTheBoundOn_PartiallyWrittenReadToTheBound()
    {
        var records = new[] { Record(100, 3, "xid line"), Record(101, 6, "other"), Record(102, 4, "companion") };

        var resolved = PendingInjectionResolution.Resolve(Planned(), 100, 102, records, _context.Time.GetUtcNow());

        Assert.Equal(FaultState.PartiallyWritten, resolved!.State);
        Assert.Equal(100UL, Assert.Single(resolved.Records).Sequence);
        Assert.Contains("every record from sequence 100 to 101 was read", resolved.WriteError, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_BoundedAndRotatedOutBelowTheBound_OutcomeUnknownNotNull()
    {
        // The ring starts at 140 now and the bound is 120: 100..119 are gone and may have held ours; never "nothing written".
        var resolved = PendingInjectionResolution.Resolve(Planned(), 100, 120, [Record(140, 3, "xid line"), Record(141, 4, "companion")], _context.Time.GetUtcNow());

        Assert.Equal(FaultState.OutcomeUnknown, resolved!.State);
        Assert.Empty(resolved.Records);
        Assert.Contains("from sequence 100 on", resolved.WriteError, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_BoundedAndEverySequenceBelowItSeen_GapAboveTheBoundIsNoGap()
    {
        // 100 and 101 seen, none ours; the ring then jumps from 102 to 150: those were the later life's, not a gap in ours.
        Assert.Null(PendingInjectionResolution.Resolve(Planned(), 100, 102, [Record(100, 6, "other"), Record(101, 6, "other"), Record(150, 3, "xid line")], _context.Time.GetUtcNow()));
    }
}
