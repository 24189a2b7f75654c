using System.Reflection;
using System.Text;
using System.Text.Json;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A record keeps a generated fault id as its 16 bytes and its message as its place in the line (#14, the agent's
/// memory), and every reader still sees the strings it was given: the journal line, the record's equality, ids and
/// messages of any other form kept as they came.
/// </summary>
public sealed class FaultRecordHeldTextTests
{
    private const string GeneratedId = "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f01";

    private const string Line = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, load-1 tp-3-17";

    private static readonly FaultKernelRecord[] KernelRecords = [new FaultKernelRecord("NVRM: " + Line, 3, 1, 42, 7, DateTimeOffset.UnixEpoch)];

    private static FaultRecord Record(string faultId, string message, string line = Line) => new()
    {
        FaultId = faultId,
        NodeName = "node-a",
        Kind = FaultKind.Xid,
        Code = 79,
        FaultType = "gpu_xid_79",
        Message = message,
        Line = line,
        Records = KernelRecords,
        InjectedAt = DateTimeOffset.UnixEpoch,
        BootId = "boot-1",
        RequestFingerprint = "fp",
    };

    [Fact]
    public void Record_GeneratedIdAndMessageInLine_NotHeldAsText()
    {
        var record = Record(new string(GeneratedId.AsSpan()), new string("load-1 tp-3-17".AsSpan()));

        var held = HeldStrings.Of(record).ToList();
        Assert.DoesNotContain(GeneratedId, held);
        Assert.DoesNotContain("load-1 tp-3-17", held);
        Assert.Equal(GeneratedId, record.FaultId);
        Assert.Equal("load-1 tp-3-17", record.Message);
        Assert.Equal(Line, record.Line);
    }

    [Theory]
    [InlineData("f-1")]
    [InlineData("fault-019AE4A1C2B37D3E8F4A5B6C7D8E9F01")]
    [InlineData("fault-00000000000000000000000000000000")]
    [InlineData("fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f0")]
    [InlineData("fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f01 ")]
    [InlineData("")]
    public void FaultId_NotTheGeneratedForm_KeptAsGiven(string faultId)
    {
        var record = Record(faultId, "m");

        Assert.Same(faultId, record.FaultId);
        Assert.Equal(record, Record(new string(faultId.AsSpan()), "m"));
        Assert.NotEqual(record, Record(GeneratedId, "m"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not in the line")]
    [InlineData("load-1 tp-3-170")]
    public void Message_NotInTheLine_KeptAsGiven(string message)
    {
        var record = Record(GeneratedId, message);

        Assert.Same(message, record.Message);
        Assert.Equal(record, Record(GeneratedId, new string(message.AsSpan())));
    }

    [Fact]
    public void Equals_SameValuesHeldEitherWay_EqualAndSameHash()
    {
        var inLine = Record(GeneratedId, "tp-3-17");
        var movedLine = Record(GeneratedId, "elsewhere", "another line") with { Line = Line, Message = "tp-3-17" };
        var lineFirst = new FaultRecord { FaultId = GeneratedId, NodeName = "n", Kind = FaultKind.Xid, Code = 79, FaultType = "t", Line = Line, Message = "tp-3-17" };
        var messageFirst = new FaultRecord { FaultId = GeneratedId, NodeName = "n", Kind = FaultKind.Xid, Code = 79, FaultType = "t", Message = "tp-3-17", Line = Line };

        Assert.Equal(inLine, movedLine);
        Assert.Equal(inLine.GetHashCode(), movedLine.GetHashCode());
        Assert.Equal(lineFirst, messageFirst);
        Assert.NotEqual(inLine, Record(GeneratedId, "tp-3-1"));
        Assert.NotEqual(inLine, Record("fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f02", "tp-3-17"));
    }

    [Fact]
    public void With_LineChanged_MessageKept()
    {
        var record = Record(GeneratedId, "tp-3-17");

        var moved = record with { Line = "a line without it" };
        var back = moved with { Line = Line };

        Assert.Equal("tp-3-17", moved.Message);
        Assert.Equal("a line without it", moved.Line);
        Assert.Equal(record, back);
        Assert.Equal("other", (record with { Message = "other" }).Message);
        Assert.Equal(Line, (record with { Message = "other" }).Line);
    }

    [Fact]
    public void Serialize_GeneratedIdAndMessageInLine_JournalLineUnchanged()
    {
        var entry = new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = GeneratedId, Fault = Record(GeneratedId, "load-1 tp-3-17") };

        var line = Encoding.UTF8.GetString(FaultJournal.Serialize(entry));

        // The line as the agent wrote it while the record held both strings (main c111926; checksum, then JSON).
        Assert.Equal(ExpectedJournalLine, line);
        var json = Encoding.UTF8.GetBytes(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var read = JsonSerializer.Deserialize(json, FaultJournalJsonContext.Default.FaultJournalEntry)!;
        Assert.Equal(GeneratedId, read.Fault!.FaultId);
        Assert.Equal("load-1 tp-3-17", read.Fault.Message);
        Assert.Equal(entry.Fault, read.Fault with { Records = KernelRecords, UnconfirmedRecords = entry.Fault.UnconfirmedRecords, Surfaces = entry.Fault.Surfaces, DcgmWrites = entry.Fault.DcgmWrites });
        Assert.Equal(line, Encoding.UTF8.GetString(FaultJournal.Serialize(read)));
    }

    [Fact]
    public void Map_RecordsFoundByTheIdsCharacters_ReplacedInPlace()
    {
        var map = new FaultRecordMap();
        var first = Record(GeneratedId, "m");
        var other = Record("f-1", "m");
        map.Set(first, out var none);
        map.Set(other, out _);

        var replacement = first with { Message = "n" };
        map.Set(replacement, out var replaced);

        Assert.Null(none);
        Assert.Same(first, replaced);
        Assert.Equal(2, map.Count);
        Assert.Same(replacement, map[new string(GeneratedId.AsSpan())]);
        Assert.True(map.TryGetValue(Record(GeneratedId, "other").Identity, out var byIdentity));
        Assert.Same(replacement, byIdentity);
        Assert.False(map.TryGetValue(Record("f-2", "m").Identity, out _));
        Assert.True(map.TryGetValue("f-1", out var found));
        Assert.Same(other, found);
        Assert.False(map.ContainsKey(GeneratedId.ToUpperInvariant()));
        Assert.False(map.ContainsKey("fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f02"));
        Assert.Equal([other, replacement], map.Values.OrderBy(f => f.Message, StringComparer.Ordinal)); // the map keeps no order
        Assert.True(map.Remove(GeneratedId, out var removed));
        Assert.Same(replacement, removed);
        Assert.False(map.ContainsKey(GeneratedId));
        Assert.Single(map.Values);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(120)]
    [InlineData(-330)]
    public void KernelRecord_ObservedAt_ReadBackWithItsOffsetAndNoNullableHeld(int? offsetMinutes)
    {
        DateTimeOffset? observed = offsetMinutes is { } minutes ? new DateTimeOffset(2026, 12, 3, 12, 0, 0, 123, TimeSpan.FromMinutes(minutes)).AddTicks(4567) : null;

        var record = new FaultKernelRecord("text", 3, 1, 42, 7, observed);

        Assert.Equal(observed, record.ObservedAt);
        Assert.Equal(observed?.Offset, record.ObservedAt?.Offset);
        Assert.Equal(observed?.Ticks, record.ObservedAt?.Ticks);
        Assert.Equal(record, new FaultKernelRecord("text", 3, 1, 42, 7, observed));
        Assert.Null((record with { ObservedAt = null }).ObservedAt);
        Assert.DoesNotContain(
            typeof(FaultKernelRecord).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public),
            f => f.FieldType == typeof(DateTimeOffset?));
    }

    private const string ExpectedJournalLine =
        "3c22962fb3565d49 {\"op\":\"Recorded\",\"fault_id\":\"fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f01\""
        + ",\"fault\":{\"fault_id\":\"fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f01\",\"node_name\":\"node-a\""
        + ",\"kind\":\"Xid\",\"code\":79,\"fault_type\":\"gpu_xid_79\",\"gpu_id\":0,\"pci_bus_id\":\"\""
        + ",\"gpu_uuid\":\"\",\"nv_switch\":0,\"link\":0,\"message\":\"load-1 tp-3-17\""
        + ",\"line\":\"NVRM: Xid (PCI:0000:3b:00): 79, pid=\\u0027\\u003Cunknown\\u003E\\u0027, name=\\u003Cunknown\\u003E, load-1 tp-3-17\""
        + ",\"records\":[{\"text\":\"NVRM: NVRM: Xid (PCI:0000:3b:00): 79, pid=\\u0027\\u003Cunknown\\u003E\\u0027, name=\\u003Cunknown\\u003E, load-1 tp-3-17\""
        + ",\"level\":3,\"facility\":1,\"sequence\":42,\"timestamp_microseconds\":7"
        + ",\"observed_at\":\"1970-01-01T00:00:00+00:00\"}],\"state\":\"Active\""
        + ",\"injected_at\":\"1970-01-01T00:00:00+00:00\",\"caller\":\"\",\"request_fingerprint\":\"fp\""
        + ",\"boot_id\":\"boot-1\",\"severity\":\"\",\"recommended_action\":\"\",\"write_outcome\":\"Verified\""
        + ",\"unconfirmed_records\":[],\"surfaces\":[],\"dcgm_writes\":[]}}\n";
}
