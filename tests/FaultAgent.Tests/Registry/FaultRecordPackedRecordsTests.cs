using System.Text;
using System.Text.Json;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A fault whose line is a kept head and its message holds its kernel records and the message's bytes in one array
/// (<see cref="PackedKernelRecords"/>, #14 the agent's memory, faultbytes4): the Xid record named as the line, a companion
/// record as a kept text (<see cref="HeldKernelTexts"/>). Every reader — values, records, equality, hash, <c>with</c>, the
/// journal's JSON and its round trip, the recorded delta — sees what it saw when the records and the message were held apart,
/// whatever order the values were given in.
/// </summary>
public sealed class FaultRecordPackedRecordsTests
{
    private const string GeneratedId = "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f01";

    private const string Head = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, ";

    private const string Message = "bench-rss-v tp-15-1234";

    private const string Companion = "NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.";

    private const string Fingerprint = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static readonly DateTimeOffset Observed = new DateTimeOffset(2026, 12, 6, 5, 30, 0, TimeSpan.FromMinutes(60)).AddTicks(42);

    private static FaultKernelRecord[] Written(string line = Head + Message) =>
    [
        new FaultKernelRecord("NVRM: " + line, 4, 1, 4_000_000_001, 17_000_001, Observed),
        new FaultKernelRecord(Companion, 4, 1, 4_000_000_002, 17_000_002, Observed),
    ];

    private static FaultRecord Planned(string line = Head + Message, string message = Message) => new()
    {
        FaultId = GeneratedId,
        NodeName = "gpu-node-001",
        Kind = FaultKind.Xid,
        Code = 79,
        FaultType = "gpu_xid_79",
        Message = new string(message.AsSpan()),
        Line = new string(line.AsSpan()),
        Records = [.. Written(line).Select(r => r with { Sequence = 0, TimestampMicroseconds = 0, ObservedAt = null })],
        State = FaultState.Active,
        InjectedAt = Observed,
        BootId = "boot-1",
        RequestFingerprint = Fingerprint,
    };

    /// <summary>The recorded fault built with its records given before its line and message.</summary>
    private static FaultRecord RecordsFirst(IReadOnlyList<FaultKernelRecord> records, string? key = null) => new()
    {
        FaultId = GeneratedId,
        NodeName = "gpu-node-001",
        Kind = FaultKind.Xid,
        Code = 79,
        FaultType = "gpu_xid_79",
        Records = records,
        Line = Head + Message,
        Message = Message,
        State = FaultState.Active,
        InjectedAt = Observed,
        BootId = "boot-1",
        RequestFingerprint = Fingerprint,
        WriteOutcome = FaultWriteOutcome.Verified,
        IdempotencyKey = key,
    };

    private static FaultRecord Recorded() => Planned() with { WriteOutcome = FaultWriteOutcome.Verified, Records = Written() };

    private static string Journal(FaultRecord fault) => FaultRecordLineHeadTests.Journal(fault);

    private static FaultRecord ReadJournal(string line) => FaultRecordLineHeadTests.ReadJournal(line);

    [Fact]
    public void Records_XidLineAndCompanion_HeldWithTheMessageInOneArrayOf96Bytes()
    {
        var planned = Planned();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var recorded = planned with { WriteOutcome = FaultWriteOutcome.Verified, Records = Written() };
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(planned.HoldsMessageBehindRecords);
        Assert.True(recorded.HoldsMessageBehindRecords);
        Assert.True(recorded.HeldRecords.IsPacked);
        Assert.Equal(Message, Encoding.ASCII.GetString(recorded.HeldRecords.PackedMessage));
        Assert.Equal(96, (24 + recorded.HeldRecords.PackedArray!.Length + 7) / 8 * 8);
        Assert.True(PackedKernelRecords.HoldsDeltas(recorded.HeldRecords.PackedArray!));
        Assert.DoesNotContain(HeldStrings.Of(recorded), s => s is not null && s.Contains(Message, StringComparison.Ordinal));
        // The written records' objects and their array (built by Written), the record's copy (136) and the one packed array
        // (96, the companion as deltas of the Xid record; 112 both whole): the records and the message's bytes apart were 104 + 48.
        var written = Written();
        var writtenBytes = GC.GetAllocatedBytesForCurrentThread();
        written = Written();
        writtenBytes = GC.GetAllocatedBytesForCurrentThread() - writtenBytes;
        GC.KeepAlive(written);
        Assert.InRange(bytes - writtenBytes, 1, 136 + 96);
    }

    [Fact]
    public void Records_ReadBack_EqualToTheWrittenRecordsTextsAndValues()
    {
        var recorded = Recorded();

        Assert.Equal(Written(), recorded.Records);
        Assert.Equal(["NVRM: " + Head + Message, Companion], recorded.Records.Select(r => r.Text));
        Assert.Equal(Observed.Offset, recorded.Records[0].ObservedAt!.Value.Offset);
        Assert.Equal(Head + Message, recorded.Line);
        Assert.Equal(Message, recorded.Message);
        Assert.Equal(2, recorded.HeldRecords.Count);
        Assert.Equal(4_000_000_001UL, recorded.HeldRecords.FirstSequence);
        Assert.Equal(Written().Select(r => r.GetHashCode()), recorded.Records.Select(r => r.GetHashCode()));
        Assert.Same(recorded.Records[1].Text, Recorded().Records[1].Text);
    }

    [Fact]
    public void ValuesGivenInAnyOrder_EqualSameHashSameJson_AsTheFaultHeldApart()
    {
        var recorded = Recorded();
        var recordsFirst = RecordsFirst(Written());
        var lineOnly = Planned() with { Records = [] };
        var repeating = Planned() with { WriteOutcome = FaultWriteOutcome.Verified, Records = [Written()[0].RepeatingLine(lineOnly.HeldLine), Written()[1]] };
        var byWith = Planned(Head + "other", "other") with { Line = Head + Message, Message = Message, Records = Written(), WriteOutcome = FaultWriteOutcome.Verified };

        foreach (var same in new[] { recordsFirst, repeating, byWith, ReadJournal(Journal(recorded)), recorded with { } })
        {
            Assert.True(same.HoldsMessageBehindRecords);
            Assert.Equal(recorded, same);
            Assert.Equal(recorded.GetHashCode(), same.GetHashCode());
            Assert.Equal(Journal(recorded), Journal(same));
            Assert.Equal(recorded.Records, same.Records);
        }

        Assert.Contains($"\"message\":{JsonSerializer.Serialize(Message)},\"line\":{JsonSerializer.Serialize(Head + Message)}", Journal(recorded), StringComparison.Ordinal);
        Assert.Contains($"\"text\":{JsonSerializer.Serialize("NVRM: " + Head + Message)}", Journal(recorded), StringComparison.Ordinal);
        Assert.NotEqual(recorded, recorded with { Records = [Written()[0] with { Sequence = 5 }, Written()[1]] });
        Assert.NotEqual(recorded, recorded with { Records = [Written()[0], Written()[1] with { Text = Companion + "." }] });
        Assert.NotEqual(recorded, recorded with { Message = Message + "." });
    }

    [Fact]
    public void With_LineOrMessageChanged_RecordsKeepTheirTexts()
    {
        var recorded = Recorded();

        var noLine = recorded with { Line = "" };
        var otherMessage = recorded with { Message = "not in the line" };
        var noRecords = recorded with { Records = [] };

        Assert.False(noLine.HoldsMessageBehindRecords);
        Assert.Equal(("", Message), (noLine.Line, noLine.Message));
        Assert.Equal(Written(), noLine.Records);
        Assert.Equal((Head + Message, "not in the line"), (otherMessage.Line, otherMessage.Message));
        Assert.Equal(Written(), otherMessage.Records);
        Assert.Equal(recorded, noLine with { Line = Head + Message });
        Assert.Equal(recorded, otherMessage with { Message = Message });
        Assert.True((noLine with { Line = Head + Message }).HoldsMessageBehindRecords);
        Assert.False(noRecords.HoldsMessageBehindRecords);
        Assert.Equal((Head + Message, Message), (noRecords.Line, noRecords.Message));
        Assert.Equal(recorded, noRecords with { Records = Written() });
    }

    [Theory]
    [InlineData(3, 1, false)]
    [InlineData(256, 1, true)]
    [InlineData(3, -1, true)]
    public void Records_LevelOrFacilityOutsideAByte_HeldApartAndReadTheSame(int level, int facility, bool apart)
    {
        FaultKernelRecord[] records = [new FaultKernelRecord("NVRM: " + Head + Message, level, facility, 1, 2, Observed), Written()[1]];

        var fault = Planned() with { Records = records };

        Assert.Equal(!apart, fault.HoldsMessageBehindRecords);
        Assert.Equal(records, fault.Records);
        Assert.Equal(records, ReadJournal(Journal(fault)).Records);
        Assert.Equal(Head + Message, fault.Line);
    }

    [Fact]
    public void Records_CompanionLongerThanAKeptText_HeldApartAndReadTheSame()
    {
        var companion = "NVRM: " + new string('c', HeldKernelTexts.MaxTextLength);
        FaultKernelRecord[] records = [Written()[0], new FaultKernelRecord(companion, 4, 1, 3, 4, null)];

        var fault = Planned() with { Records = records };

        Assert.False(fault.HoldsMessageBehindRecords);
        Assert.Equal(records, fault.Records);
        Assert.Equal(Message, fault.Message);
        Assert.Equal(Head + Message, fault.Line);
    }

    [Fact]
    public void RecordedDelta_PackedPendingAndWritten_DeltaAppliesToTheWrittenFault()
    {
        var pending = Planned();
        var written = pending with { WriteOutcome = FaultWriteOutcome.Verified, Records = Written() };

        var delta = RecordedDelta.TryCreate(pending, written);

        Assert.NotNull(delta);
        var applied = RecordedDelta.Apply(pending, delta!);
        Assert.Equal(written, applied);
        Assert.True(applied!.HoldsMessageBehindRecords);
        Assert.Equal(Journal(written), Journal(applied));
    }

    public static TheoryData<string, ulong, ulong, ulong, ulong, long, bool> Edges() => new()
    {
        // name, first sequence, second's, first timestamp, second's, second read back this many ticks after the first, deltas
        { "one write", 4_000_000_001, 4_000_000_002, 17_000_001, 17_000_002, 0, true },
        { "max sequence", ulong.MaxValue - 1, ulong.MaxValue, ulong.MaxValue - 1, ulong.MaxValue, 0, true },
        { "sequence past max", ulong.MaxValue, 0, 0, 0, 0, true },
        { "sequence 65,535 after", 1, 65_536, 1, 1, 0, true },
        { "sequence 65,536 after", 1, 65_537, 1, 1, 0, false },
        { "sequence before the first's", 2, 1, 1, 1, 0, false },
        { "timestamps 2^32 - 1 µs apart", 1, 2, 5, 5UL + uint.MaxValue, 0, true },
        { "timestamps 2^32 µs apart", 1, 2, 5, 5UL + uint.MaxValue + 1, 0, false },
        { "timestamps far apart", 1, 2, 0, ulong.MaxValue, 0, false },
        { "timestamp before the first's", 1, 2, 10, 9, 0, false },
        { "read back another instant", 1, 2, 1, 2, 1, false },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void Records_SecondAsDeltasOfTheFirstOrWhole_ReadBackTheSameKeyedAndKeyless(string name, ulong firstSequence, ulong secondSequence, ulong firstTimestamp, ulong secondTimestamp, long observedApart, bool deltas)
    {
        FaultKernelRecord[] records =
        [
            new FaultKernelRecord("NVRM: " + Head + Message, 4, 1, firstSequence, firstTimestamp, Observed),
            new FaultKernelRecord(Companion, 3, 1, secondSequence, secondTimestamp, Observed.AddTicks(observedApart)),
        ];

        foreach (var key in new string?[] { null, "api-" + new string('a', 47) + "1" })
        {
            var pending = Planned() with { IdempotencyKey = key, Records = [.. records.Select(r => r with { Sequence = 0, TimestampMicroseconds = 0, ObservedAt = null })] };
            var fault = pending with { WriteOutcome = FaultWriteOutcome.Verified, Records = records };
            var recordsFirst = RecordsFirst(records, key);
            var delta = RecordedDelta.TryCreate(pending, fault);
            var applied = delta is null ? null : RecordedDelta.Apply(pending, delta);

            Assert.True(fault.HoldsMessageBehindRecords, name);
            Assert.Equal(deltas, PackedKernelRecords.HoldsDeltas(fault.HeldRecords.PackedArray!));
            Assert.Equal(deltas ? 1 + 32 + 12 + Message.Length : 1 + (2 * 32) + Message.Length, fault.HeldRecords.PackedArray!.Length);
            Assert.Equal(records, fault.Records);
            Assert.Equal(records.Select(r => r.ObservedAt!.Value.Offset), fault.Records.Select(r => r.ObservedAt!.Value.Offset));
            Assert.Equal(Message, fault.Message);
            Assert.Equal(Head + Message, fault.Line);
            Assert.Equal(key, fault.IdempotencyKey);
            Assert.Equal(firstSequence, fault.HeldRecords.FirstSequence);
            Assert.Equal(records.Select(r => new FaultRecordProof(r.Sequence, r.TimestampMicroseconds, r.ObservedAt)), Enumerable.Range(0, 2).Select(fault.HeldRecords.ProofAt));
            Assert.NotNull(applied);
            foreach (var same in new[] { recordsFirst, ReadJournal(Journal(fault)), applied!, fault with { } })
            {
                Assert.Equal(fault, same);
                Assert.Equal(fault.GetHashCode(), same.GetHashCode());
                Assert.Equal(Journal(fault), Journal(same));
                Assert.Equal(records, same.Records);
            }

            Assert.NotEqual(fault, fault with { Records = [records[0], records[1] with { Sequence = secondSequence + 1 }] });
            Assert.NotEqual(fault, fault with { Records = [records[0], records[1] with { TimestampMicroseconds = secondTimestamp + 1 }] });
        }
    }

    [Fact]
    public void Records_ReadBackAtOneInstantWithAnotherOffset_HeldWholeEqualToTheDeltas()
    {
        var deltas = Recorded();
        var otherOffset = Planned() with
        {
            WriteOutcome = FaultWriteOutcome.Verified,
            Records = [Written()[0], Written()[1] with { ObservedAt = Observed.ToOffset(TimeSpan.FromHours(-5)) }],
        };

        Assert.True(PackedKernelRecords.HoldsDeltas(deltas.HeldRecords.PackedArray!));
        Assert.False(PackedKernelRecords.HoldsDeltas(otherOffset.HeldRecords.PackedArray!));
        Assert.Equal(TimeSpan.FromHours(-5), otherOffset.Records[1].ObservedAt!.Value.Offset);
        Assert.Equal(deltas, otherOffset);
        Assert.Equal(deltas.GetHashCode(), otherOffset.GetHashCode());
    }

    [Fact]
    public void Records_ThreeOfOneWrite_TheTwoAfterTheFirstAsDeltas()
    {
        FaultKernelRecord[] records = [.. Written(), new FaultKernelRecord(Companion, 6, 1, 4_000_000_009, 17_000_090, Observed)];

        var fault = Planned() with { WriteOutcome = FaultWriteOutcome.Verified, Records = records };

        Assert.True(PackedKernelRecords.HoldsDeltas(fault.HeldRecords.PackedArray!));
        Assert.Equal(1 + 32 + (2 * 12) + Message.Length, fault.HeldRecords.PackedArray!.Length);
        Assert.Equal(records, fault.Records);
        Assert.Equal(fault, ReadJournal(Journal(fault)));
    }
}
