using System.Text;
using System.Text.Json;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A fault whose line is a head and its message holds the head once for all faults of that GPU, Xid and process
/// (<see cref="HeldLineHeads"/>) and only the message's bytes, shared with its Xid kernel record (#14, the agent's memory,
/// faultbytes2); its state and write outcome as bytes and its instants as ticks beside its other fields. Every reader —
/// values, equality, hash, <c>with</c>, the journal's JSON and its round trip — sees what it saw when the record held the
/// whole line, whatever order the line and message were given in.
/// </summary>
public sealed class FaultRecordLineHeadTests
{
    private const string GeneratedId = "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f01";

    private const string Head = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, ";

    private const string Fingerprint = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static readonly DateTimeOffset Observed = new DateTimeOffset(2026, 12, 6, 5, 30, 0, TimeSpan.FromMinutes(60)).AddTicks(42);

    private static FaultRecord Fault(string line, string message, string id = GeneratedId) =>
        Completed(new FaultRecord { FaultId = id, NodeName = "gpu-node-001", Kind = FaultKind.Xid, Code = 79, FaultType = "gpu_xid_79", Message = message, Line = line });

    /// <summary>The same fault with its line given before its message.</summary>
    private static FaultRecord LineFirst(string line, string message) =>
        Completed(new FaultRecord { FaultId = GeneratedId, NodeName = "gpu-node-001", Kind = FaultKind.Xid, Code = 79, FaultType = "gpu_xid_79", Line = line, Message = message });

    private static FaultRecord Completed(FaultRecord fault) => fault with
    {
        State = FaultState.Active,
        InjectedAt = Observed,
        BootId = "boot-1",
        RequestFingerprint = Fingerprint,
        WriteOutcome = FaultWriteOutcome.Verified,
    };

    /// <summary>The journal's line recording <paramref name="fault"/> (also FaultRecordPackedRecordsTests).</summary>
    internal static string Journal(FaultRecord fault) =>
        Encoding.UTF8.GetString(FaultJournal.Serialize(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = fault.FaultId, Fault = fault }));

    /// <summary>The fault a journal line <see cref="Journal"/> wrote reads back as.</summary>
    internal static FaultRecord ReadJournal(string line)
    {
        var json = Encoding.UTF8.GetBytes(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        return JsonSerializer.Deserialize(json, FaultJournalJsonContext.Default.FaultJournalEntry)!.Fault!;
    }

    public static TheoryData<string, string> Forms => new()
    {
        // A head and an ASCII message behind it: the kept head and the message's bytes.
        { Head + "bench-rss-v tp-15-1234", "bench-rss-v tp-15-1234" },
        // The message inside the line (a root cause after it), once and twice: its last place in the line.
        { Head + "load-1 tp-3-17 (root cause: ECC)", "load-1 tp-3-17" },
        { Head + "m (m)", "m" },
        // A non-ASCII message, a message the line does not hold, the message as the whole line, a line "" and a message "".
        { Head + "m\u00e9ssage d'\u00e9chec \u4e2d\u6587", "m\u00e9ssage d'\u00e9chec \u4e2d\u6587" },
        { Head + "one", "two" },
        { "whole line", "whole line" },
        { new string('h', HeldLineHeads.MaxHeadLength + 1) + "message", "message" },
        { "", "only a message" },
        { Head + "no message", "" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void LineAndMessage_GivenInEitherOrderOrByWith_ReadBackEqualSameHashSameJson(string line, string message)
    {
        var fault = Fault(new string(line.AsSpan()), new string(message.AsSpan()));
        var lineFirst = LineFirst(new string(line.AsSpan()), new string(message.AsSpan()));
        var byWith = Fault(Head + "other", "other") with { Line = line, Message = message };
        var byWithMessageFirst = Fault("", "x") with { Message = message, Line = line };

        foreach (var same in new[] { fault, lineFirst, byWith, byWithMessageFirst, ReadJournal(Journal(fault)) })
        {
            Assert.Equal((line, message), (same.Line, same.Message));
            Assert.Equal(fault, same);
            Assert.Equal(fault.GetHashCode(), same.GetHashCode());
            Assert.Equal(Journal(fault), Journal(same));
        }

        Assert.Contains($"\"message\":{JsonSerializer.Serialize(message)},\"line\":{JsonSerializer.Serialize(line)}", Journal(fault), StringComparison.Ordinal);
        Assert.NotEqual(fault, fault with { Line = line + "." });
        Assert.NotEqual(fault, fault with { Message = message + "." });
    }

    [Fact]
    public void Line_HeadAndAsciiMessage_HeldAsTheKeptHeadAndTheMessagesBytesOnly()
    {
        var one = Fault(new string((Head + "load-1 tp-3-17").AsSpan()), new string("load-1 tp-3-17".AsSpan()));
        var two = Fault(new string((Head + "load-1 tp-3-18").AsSpan()), "load-1 tp-3-18", id: "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f02");

        Assert.NotEqual(0, one.HeldLine.Head);
        Assert.Equal(one.HeldLine.Head, two.HeldLine.Head);
        Assert.Equal(Head, HeldLineHeads.Of(one.HeldLine.Head));
        Assert.Equal("load-1 tp-3-17"u8.ToArray(), one.HeldLine.AsciiBytes);
        Assert.DoesNotContain(HeldStrings.Of(one), s => s is not null && s.Contains("load-1", StringComparison.Ordinal));
        Assert.Equal(Head + "load-1 tp-3-17", one.Line);
        Assert.Equal("load-1 tp-3-18", two.Message);
        Assert.Equal(0, Fault("whole line", "whole line").HeldLine.Head);
        Assert.Equal(0, Fault(Head + "m\u00e9ssage", "m\u00e9ssage").HeldLine.Head);
        Assert.Equal(0, Fault(new string('h', HeldLineHeads.MaxHeadLength + 1) + "m", "m").HeldLine.Head);
        Assert.NotEqual(0, Fault(new string('h', HeldLineHeads.MaxHeadLength) + "m", "m").HeldLine.Head);
    }

    [Fact]
    public void RepeatingLine_LineBehindAKeptHead_RecordHoldsTheMessagesBytesAndReadsTheSame()
    {
        var line = Head + "load-1 tp-3-17";
        var fault = Fault(line, "load-1 tp-3-17");
        var plain = new FaultKernelRecord("NVRM: " + line, 4, 1, 4_000_000_001, 17_000_001, Observed);
        var companion = new FaultKernelRecord("NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.", 4, 1, 4_000_000_002, 17_000_001, Observed);

        var held = plain.RepeatingLine(fault.HeldLine);
        var recorded = fault with { Records = [held, companion] };

        Assert.NotSame(plain, held);
        Assert.Same(fault.HeldLine.AsciiBytes, held.HeldBody);
        Assert.Equal(fault.HeldLine.Head, held.HeldLineHead);
        Assert.Equal("NVRM: " + line, held.Text);
        Assert.Equal(plain, held);
        Assert.Equal(held, plain);
        Assert.Equal(plain.GetHashCode(), held.GetHashCode());
        Assert.Equal(JsonSerializer.Serialize(plain, FaultJournalJsonContext.Default.FaultKernelRecord), JsonSerializer.Serialize(held, FaultJournalJsonContext.Default.FaultKernelRecord));
        Assert.Equal("NVRM: " + line, (held with { Sequence = 0 }).Text);
        Assert.Equal("x", (held with { Text = "x" }).Text);
        Assert.Equal([plain, companion], recorded.Records);
        // Since faultbytes4 the recorded fault holds the message's bytes behind its records, in one array, and builds the records' texts from it.
        Assert.True(recorded.HoldsMessageBehindRecords);
        Assert.Equal(fault.HeldLine.AsciiBytes, recorded.Records[0].HeldBody);
        Assert.Equal(recorded, fault with { Records = [plain, companion] });
        Assert.Equal(Journal(fault with { Records = [plain, companion] }), Journal(recorded));
        Assert.Equal(recorded, ReadJournal(Journal(recorded)));
        Assert.Same(plain, plain.RepeatingLine(Fault(Head + "other", "other").HeldLine));
        Assert.Same(companion, companion.RepeatingLine(fault.HeldLine));
    }

    [Fact]
    public void With_LineOrMessageChangedOnAKeptHead_TheOtherKept()
    {
        var fault = Fault(Head + "load-1 tp-3-17", "load-1 tp-3-17");

        var noLine = fault with { Line = "" };
        var otherMessage = fault with { Message = "not in the line" };

        Assert.Equal(("", "load-1 tp-3-17"), (noLine.Line, noLine.Message));
        Assert.Equal((Head + "load-1 tp-3-17", "not in the line"), (otherMessage.Line, otherMessage.Message));
        Assert.Equal(fault, noLine with { Line = Head + "load-1 tp-3-17" });
        Assert.Equal(fault, otherMessage with { Message = "load-1 tp-3-17" });
        Assert.Equal((Head + "load-1 tp-3-17", "load-1 tp-3-17"), (fault.Line, fault.Message));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void StateAndWriteOutcome_OutsideAByte_RefusedNamingTheField(int value)
    {
        var state = Assert.Throws<ArgumentOutOfRangeException>(() => Fault("", "") with { State = (FaultState)value });
        var outcome = Assert.Throws<ArgumentOutOfRangeException>(() => Fault("", "") with { WriteOutcome = (FaultWriteOutcome)value });

        Assert.Equal(nameof(FaultRecord.State), state.ParamName);
        Assert.Equal(nameof(FaultRecord.WriteOutcome), outcome.ParamName);
    }

    [Fact]
    public void StateAndWriteOutcome_EveryNamedValue_ReadBack()
    {
        foreach (var state in Enum.GetValues<FaultState>())
        {
            Assert.Equal(state, (Fault("", "") with { State = state }).State);
        }

        foreach (var outcome in Enum.GetValues<FaultWriteOutcome>())
        {
            Assert.Equal(outcome, (Fault("", "") with { WriteOutcome = outcome }).WriteOutcome);
        }
    }

    [Fact]
    public void Footprint_XidFaultInTheMap_RecordAtMost136BytesLineAsItsMessagesBytes()
    {
        var fault = Fault(Head + "bench-rss-v tp-15-1234", "bench-rss-v tp-15-1234") with
        {
            Records = [new FaultKernelRecord("NVRM: " + Head + "bench-rss-v tp-15-1234", 4, 1, 1, 2, Observed)],
            ExpiresAt = Observed.AddMinutes(5),
            IdempotencyKey = "key-1",
        };
        new FaultRecordMap().Set(fault, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var copy = fault with { };
        var recordBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(copy);

        // 168 bytes before faultbytes2 (the state and write outcome as ints, the instants as a padded struct, the message's own slot);
        // 144 before faultbytes5 (the generated id's text slot beside its words).
        Assert.InRange(recordBytes, 1, 136);
        Assert.Equal("bench-rss-v tp-15-1234".Length, fault.HeldLine.AsciiBytes!.Length);
    }
}
