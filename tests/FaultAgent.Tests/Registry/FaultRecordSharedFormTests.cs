using System.Reflection;
using System.Text;
using System.Text.Json;
using FaultAgent.Drivers;
using FaultAgent.Grpc;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A fault as the registry keeps it since #14's faultbytes pass — its kernel records as values in one array
/// (<see cref="HeldKernelRecords"/>) and the values faults share in one shared instance (<see cref="FaultOrigin"/>) —
/// answers exactly what it was given: every field read back, the gRPC answer, the journal's JSON and its round trip, for
/// multi-record faults, a non-ASCII line and message and the longest line a request can make.
/// </summary>
public sealed class FaultRecordSharedFormTests
{
    private const string GeneratedId = "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f01";

    private const string Fingerprint = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private const string Companion = "NVRM: GPU at PCI:0000:3b:00: GPU-5b9a2c1e-0f4d-4b6e-9a1c-2d3e4f5a6b7c";

    private static readonly DateTimeOffset Injected = new DateTimeOffset(2026, 12, 5, 1, 2, 3, TimeSpan.FromMinutes(-330)).AddTicks(1234);

    private static readonly DateTimeOffset Observed = new DateTimeOffset(2026, 12, 5, 1, 2, 4, TimeSpan.FromMinutes(120)).AddTicks(5678);

    private static readonly FieldInfo OriginField = typeof(FaultRecord).GetField("_origin", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>A fault with every value set, its records as the injection holds them (the Xid record repeating the held line).</summary>
    private static (FaultRecord Fault, FaultKernelRecord[] Given) Fault(string line, string message, string id = GeneratedId, string caller = "fault-api/team-a")
    {
        var planned = new FaultRecord { FaultId = id, NodeName = "n", Kind = FaultKind.Xid, Code = 79, FaultType = "t", Line = line, Message = message };
        FaultKernelRecord[] given =
        [
            new FaultKernelRecord("NVRM: " + line, 3, 1, 4_000_000_001, 17_000_001, Observed).RepeatingLine(planned.HeldLine),
            new FaultKernelRecord(Companion, 4, 1, 4_000_000_002, 17_000_002, Observed),
            new FaultKernelRecord("NVRM: third record \u00e9", 6, 1, 4_000_000_003, 17_000_003, null),
        ];
        var fault = new FaultRecord
        {
            FaultId = id,
            NodeName = "gpu-node-001",
            Kind = FaultKind.Xid,
            Code = 79,
            FaultType = "gpu_xid_79",
            GpuId = 3,
            PciBusId = "0000:3b:00.0",
            GpuUuid = "GPU-5b9a2c1e-0f4d-4b6e-9a1c-2d3e4f5a6b7c",
            Message = message,
            Line = line,
            Records = given,
            State = FaultState.Active,
            InjectedAt = Injected,
            ExpiresAt = Injected.AddMinutes(5),
            Caller = caller,
            IdempotencyKey = "key-1",
            RequestFingerprint = Fingerprint,
            BootId = "boot-1",
            Severity = "critical",
            RecommendedAction = "RESET_GPU",
            WriteOutcome = FaultWriteOutcome.Verified,
            Surfaces = ["kmsg", "dcgm"],
            Driver = new DriverLineFacts("570.86.15", "node", "r570", 1, 2, ["a note", "another"]),
        };
        return (fault, given);
    }

    private static void AssertAsGiven(FaultRecord fault, FaultKernelRecord[] given, string line, string message, bool sameTexts = true)
    {
        Assert.Equal(
            (GeneratedId, "gpu-node-001", FaultKind.Xid, 79, "gpu_xid_79", 3, "0000:3b:00.0", "GPU-5b9a2c1e-0f4d-4b6e-9a1c-2d3e4f5a6b7c"),
            (fault.FaultId, fault.NodeName, fault.Kind, fault.Code, fault.FaultType, fault.GpuId, fault.PciBusId, fault.GpuUuid));
        Assert.Equal((message, line, FaultState.Active, "fault-api/team-a", "key-1", Fingerprint), (fault.Message, fault.Line, fault.State, fault.Caller, fault.IdempotencyKey, fault.RequestFingerprint));
        Assert.Equal(("boot-1", "critical", "RESET_GPU", FaultWriteOutcome.Verified), (fault.BootId, fault.Severity, fault.RecommendedAction, fault.WriteOutcome));
        Assert.Equal((Injected.Ticks, Injected.Offset), (fault.InjectedAt.Ticks, fault.InjectedAt.Offset));
        Assert.Equal(Injected.AddMinutes(5), fault.ExpiresAt);
        Assert.Equal(["kmsg", "dcgm"], fault.Surfaces);
        Assert.Equal(("570.86.15", "node", "r570", 1, 2), (fault.Driver!.DriverVersion, fault.Driver.VersionSource, fault.Driver.LineForm, fault.Driver.GpuInstance, fault.Driver.ComputeInstance));
        Assert.Equal(["a note", "another"], fault.Driver.Notes);
        Assert.Equal(given.Length, fault.Records.Count);
        for (var i = 0; i < given.Length; i++)
        {
            var record = fault.Records[i];
            Assert.Equal(given[i], record);
            Assert.Equal(given[i].Text, record.Text);
            Assert.Equal((given[i].Level, given[i].Facility, given[i].Sequence, given[i].TimestampMicroseconds), (record.Level, record.Facility, record.Sequence, record.TimestampMicroseconds));
            Assert.Equal(given[i].ObservedAt?.Ticks, record.ObservedAt?.Ticks);
            Assert.Equal(given[i].ObservedAt?.Offset, record.ObservedAt?.Offset);
        }

        Assert.Equal("NVRM: " + line, fault.Records[0].Text);
        if (sameTexts)
        {
            Assert.Same(given[1].Text, fault.Records[1].Text);
        }
        Assert.Empty(fault.UnconfirmedRecords);
        Assert.Null(fault.EndedAt);
    }

    private static string Journal(FaultRecord fault) =>
        Encoding.UTF8.GetString(FaultJournal.Serialize(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = fault.FaultId, Fault = fault }));

    private static FaultRecord ReadJournal(string line)
    {
        var json = Encoding.UTF8.GetBytes(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        return JsonSerializer.Deserialize(json, FaultJournalJsonContext.Default.FaultJournalEntry)!.Fault!;
    }

    public static TheoryData<string, string> Lines => new()
    {
        { "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, load-1 tp-3-17", "load-1 tp-3-17" },
        { "NVRM: Xid (PCI:0000:3b:00): 79, pid=1, name=trainer, m\u00e9ssage d'\u00e9chec \u4e2d\u6587", "m\u00e9ssage d'\u00e9chec \u4e2d\u6587" },
        { "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, " + new string('x', 1024), new string('x', 1024) },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void ReadBack_FaultPutInTheRegistrysMap_EveryFieldAsGiven(string line, string message)
    {
        var (fault, given) = Fault(line, message);
        var map = new FaultRecordMap();

        map.Set(fault, out _);

        Assert.True(map.TryGetValue(GeneratedId, out var kept));
        Assert.True(kept.HoldsSharedOrigin);
        AssertAsGiven(kept, given, line, message);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void ToProto_FaultInTheMapAndTheSameValuesNeverShared_SameAnswer(string line, string message)
    {
        var (fault, given) = Fault(line, message);
        var (unshared, _) = Fault(new string(line.AsSpan()), new string(message.AsSpan()));
        var map = new FaultRecordMap();
        map.Set(fault, out _);

        var answer = fault.ToProto();

        Assert.False(unshared.HoldsSharedOrigin);
        Assert.Equal(unshared.ToProto(), answer);
        Assert.Equal(given.Length, answer.Records.Count);
        for (var i = 0; i < given.Length; i++)
        {
            Assert.Equal(given[i].ToProto(), answer.Records[i]);
        }

        Assert.Equal((line, message, "gpu-node-001", "fault-api/team-a", "0000:3b:00.0"), (answer.Line, answer.Message, answer.NodeName, answer.Caller, answer.PciBusId));
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void JournalRoundTrip_FaultInTheMap_SameJsonEqualFaultEveryFieldAsGiven(string line, string message)
    {
        var (fault, given) = Fault(line, message);
        var (unshared, _) = Fault(line, message);
        new FaultRecordMap().Set(fault, out _);

        var written = Journal(fault);
        var read = ReadJournal(written);

        Assert.Equal(Journal(unshared), written);
        Assert.Equal(written, Journal(read));
        Assert.Equal(fault, read);
        Assert.Equal(fault.GetHashCode(), read.GetHashCode());
        AssertAsGiven(read, given, line, message, sameTexts: false);
    }

    [Fact]
    public void Set_EqualOriginsReloadedFromTheJournal_ShareOneInstance()
    {
        var (first, _) = Fault("NVRM: Xid (PCI:0000:3b:00): 79, pid=1, name=a, one", "one");
        var (second, _) = Fault("NVRM: Xid (PCI:0000:3b:00): 79, pid=1, name=a, two", "two", id: "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f02");
        var (other, _) = Fault("NVRM: Xid (PCI:0000:3b:00): 79, pid=1, name=a, three", "three", id: "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f03", caller: "fault-api/team-b");
        var map = new FaultRecordMap();

        // Read back from their journal lines: every list and string is an instance of its own, as after a restart.
        foreach (var fault in new[] { first, second, other }.Select(f => ReadJournal(Journal(f))))
        {
            map.Set(fault, out _);
        }

        var kept = map.Values.ToDictionary(f => f.Message);
        Assert.Same(OriginField.GetValue(kept["one"]), OriginField.GetValue(kept["two"]));
        Assert.NotSame(OriginField.GetValue(kept["one"]), OriginField.GetValue(kept["three"]));
        Assert.Equal("fault-api/team-b", kept["three"].Caller);
        Assert.Equal("fault-api/team-a", kept["two"].Caller);
    }

    [Fact]
    public void With_OnAFaultInTheMap_ChangesTheCopyOnly()
    {
        var line = "NVRM: Xid (PCI:0000:3b:00): 79, pid=1, name=a, one";
        var (fault, given) = Fault(line, "one");
        var map = new FaultRecordMap();
        map.Set(fault, out _);
        var shared = OriginField.GetValue(fault);

        var changed = fault with { BootId = "boot-2", Caller = "other", GpuId = 4, Records = [given[1]] };

        Assert.Same(shared, OriginField.GetValue(fault));
        AssertAsGiven(fault, given, line, "one");
        Assert.Equal(("boot-2", "other", 4, "gpu-node-001"), (changed.BootId, changed.Caller, changed.GpuId, changed.NodeName));
        Assert.Equal([given[1]], changed.Records);
        Assert.NotEqual(fault, changed);
        Assert.Equal(fault, changed with { BootId = "boot-1", Caller = "fault-api/team-a", GpuId = 3, Records = given });
    }

    [Fact]
    public void Records_ALevelOutsideAByte_HeldAsGivenAndReadBack()
    {
        FaultKernelRecord[] given = [new FaultKernelRecord("x", 300, 1, 5, 6, Observed), new FaultKernelRecord("y", 3, -1, 7, 8, null)];

        var fault = new FaultRecord { FaultId = "f", NodeName = "n", Kind = FaultKind.Xid, Code = 79, FaultType = "t", Records = given };

        Assert.Same(given, fault.Records);
        Assert.Equal(fault, fault with { Records = [.. given] });
        Assert.NotEqual(fault, fault with { Records = [given[0]] });
        Assert.Equal(5UL, fault.HeldRecords.FirstSequence);
    }

    [Fact]
    public void Footprint_XidFaultsTwoRecords_RecordAndRecordsWithinTheirBytes()
    {
        var (fault, given) = Fault("NVRM: Xid (PCI:0000:3b:00): 79, pid=1, name=a, one", "one");
        new FaultRecordMap().Set(fault, out _);
        IReadOnlyList<FaultKernelRecord> two = [given[0], given[1]];

        var before = GC.GetAllocatedBytesForCurrentThread();
        var copy = fault with { };
        var recordBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var held = HeldKernelRecords.Of(two);
        var recordsBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(copy);

        // 248 bytes, and 184 for two records (two 72-byte objects, a 40-byte array of references), before this pass.
        Assert.InRange(recordBytes, 1, 168);
        Assert.InRange(recordsBytes, 1, 104);
        Assert.Equal(2, held.Count);
    }
}
