using System.Text;
using System.Text.Json;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// An active fault's record keeps the values most faults never set apart from it (<see cref="FaultRecordExtras"/>) and an
/// ASCII line as its bytes (<see cref="HeldLine"/>, shared with its Xid kernel record) (#14, the agent's memory), while
/// every reader — values, equality, hash, <c>with</c>, the journal's JSON — sees what it saw when the record held them itself.
/// </summary>
public sealed class FaultRecordFootprintTests
{
    private const string GeneratedId = "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f01";

    private const string Line = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, load-1 tp-3-17";

    private const string Fingerprint = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static FaultRecord Active(string line = Line, string message = "load-1 tp-3-17") => new()
    {
        FaultId = GeneratedId,
        NodeName = "node-a",
        Kind = FaultKind.Xid,
        Code = 79,
        FaultType = "gpu_xid_79",
        Message = message,
        Line = line,
        Records = [new FaultKernelRecord("NVRM: " + line, 3, 1, 42, 7, DateTimeOffset.UnixEpoch)],
        InjectedAt = DateTimeOffset.UnixEpoch,
        BootId = "boot-1",
        RequestFingerprint = Fingerprint,
        WriteOutcome = FaultWriteOutcome.Verified,
    };

    /// <summary>The bytes one copy of <paramref name="record"/>'s object takes (a <c>with</c> allocates exactly one).</summary>
    private static long ObjectBytes(FaultRecord record)
    {
        var copy = record with { };
        var before = GC.GetAllocatedBytesForCurrentThread();
        copy = record with { };
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(copy);
        return bytes;
    }

    [Fact]
    public void Record_ActiveFaultWithoutRareValues_ObjectAtMost248Bytes()
    {
        // 336 bytes on main 5be045b, where the record held the ended, write-error, unconfirmed, DCGM, NVSwitch/link and
        // fingerprint-text slots itself and its two instants as a DateTimeOffset and a nullable one.
        var record = Active();

        Assert.InRange(ObjectBytes(record), 1, 248);
        Assert.InRange(ObjectBytes(record with { EndedAt = DateTimeOffset.UnixEpoch, EndedReason = "cleared", NvSwitch = 2 }), 1, 248);
    }

    [Fact]
    public void Record_AsciiLine_NotHeldAsTextSharedWithItsKernelRecord()
    {
        var record = Active(new string(Line.AsSpan()));
        var proof = record.Records[0].RepeatingLine(record.HeldLine);

        Assert.DoesNotContain(Line, HeldStrings.Of(record));
        Assert.DoesNotContain("NVRM: " + Line, HeldStrings.Of(proof));
        Assert.DoesNotContain(Line, HeldStrings.Of(proof));
        Assert.Equal(Line, record.Line);
        Assert.Equal("load-1 tp-3-17", record.Message);
        Assert.Equal("NVRM: " + Line, proof.Text);
        Assert.Equal(record.Records[0], proof);
        Assert.Equal(proof, record.Records[0]);
        Assert.Equal(record.Records[0].GetHashCode(), proof.GetHashCode());
        Assert.Equal(
            JsonSerializer.Serialize(record.Records[0], FaultJournalJsonContext.Default.FaultKernelRecord),
            JsonSerializer.Serialize(proof, FaultJournalJsonContext.Default.FaultKernelRecord));
        Assert.Equal(0UL, (proof with { Sequence = 0 }).Sequence);
        Assert.Equal("NVRM: " + Line, (proof with { Sequence = 0 }).Text);
    }

    [Theory]
    [InlineData("NVRM: Xid (PCI:0000:3b:00): 79, pid=1, name=trainer, m\u00e9ssage d'\u00e9chec", "m\u00e9ssage d'\u00e9chec")]
    [InlineData("NVRM: Xid (PCI:0000:3b:00): 79, pid=1, name=trainer, ascii message", "caf\u00e9")]
    [InlineData("", "m")]
    public void Record_OtherLines_ReadBackAsGiven(string line, string message)
    {
        var record = Active(line, message);
        var proof = record.Records[0].RepeatingLine(record.HeldLine);

        Assert.Equal(line, record.Line);
        Assert.Equal(message, record.Message);
        Assert.Equal("NVRM: " + line, proof.Text);
        Assert.Equal(record.Records[0], proof);
        var same = Active(new string(line.AsSpan()), new string(message.AsSpan())) with { Records = record.Records };
        Assert.Equal(record, same);
        Assert.Equal(record.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(record, Active(line + ".", message) with { Records = record.Records });
    }

    [Fact]
    public void With_RareValuesSetThenReset_EqualToNeverSetAndOriginalUnchanged()
    {
        var record = Active();
        IReadOnlyList<FaultKernelRecord> unconfirmed = [new FaultKernelRecord("NVRM: x", 3, 1, 0, 0, null)];

        var ended = record with { EndedAt = DateTimeOffset.UnixEpoch, EndedReason = "cleared", EndedBy = "api", WriteError = "e", UnconfirmedRecords = unconfirmed, NvSwitch = 3, Link = 4, RequestFingerprint = "fp" };
        var reset = ended with { EndedAt = null, EndedReason = null, EndedBy = null, WriteError = null, UnconfirmedRecords = record.UnconfirmedRecords, NvSwitch = 0, Link = 0, RequestFingerprint = Fingerprint };

        Assert.Null(record.EndedAt);
        Assert.Null(record.EndedReason);
        Assert.Equal(0, record.NvSwitch);
        Assert.Equal(Fingerprint, record.RequestFingerprint);
        Assert.Equal(DateTimeOffset.UnixEpoch, ended.EndedAt);
        Assert.Equal(("cleared", "api", "e", 3, 4, "fp"), (ended.EndedReason, ended.EndedBy, ended.WriteError, ended.NvSwitch, ended.Link, ended.RequestFingerprint));
        Assert.Same(unconfirmed, ended.UnconfirmedRecords);
        Assert.NotEqual(record, ended);
        Assert.Equal(record, reset);
        Assert.Equal(record.GetHashCode(), reset.GetHashCode());
        Assert.NotEqual(record, record with { UnconfirmedRecords = [.. unconfirmed] });
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(0, 0)]
    [InlineData(120, -330)]
    [InlineData(-330, 840)]
    public void InjectedAtExpiresAt_ReadBackWithTheirOffsetsComparedAsInstants(int injectedOffset, int? expiresOffset)
    {
        var injected = new DateTimeOffset(2026, 12, 3, 12, 0, 0, 123, TimeSpan.FromMinutes(injectedOffset)).AddTicks(4567);
        DateTimeOffset? expires = expiresOffset is { } minutes ? new DateTimeOffset(2026, 12, 3, 13, 0, 0, TimeSpan.FromMinutes(minutes)).AddTicks(89) : null;

        var record = Active() with { InjectedAt = injected, ExpiresAt = expires };

        Assert.Equal(injected.Ticks, record.InjectedAt.Ticks);
        Assert.Equal(injected.Offset, record.InjectedAt.Offset);
        Assert.Equal(expires?.Ticks, record.ExpiresAt?.Ticks);
        Assert.Equal(expires?.Offset, record.ExpiresAt?.Offset);
        Assert.Equal(record, record with { InjectedAt = injected.ToUniversalTime(), ExpiresAt = expires?.ToOffset(TimeSpan.FromHours(5)) });
        Assert.Equal(record.GetHashCode(), (record with { InjectedAt = injected.ToOffset(TimeSpan.FromHours(-2)) }).GetHashCode());
        Assert.NotEqual(record, record with { InjectedAt = injected.AddTicks(1) });
        Assert.NotEqual(record, record with { ExpiresAt = expires is null ? injected : null });
        Assert.Equal(default, new FaultRecord { FaultId = "f", NodeName = "n", Kind = FaultKind.Xid, Code = 79, FaultType = "t" }.InjectedAt);
        Assert.Null(new FaultRecord { FaultId = "f", NodeName = "n", Kind = FaultKind.Xid, Code = 79, FaultType = "t" }.ExpiresAt);
    }

    [Fact]
    public void Serialize_RareValuesAndAsciiLine_SameJsonAsReadBack()
    {
        var record = Active() with { EndedAt = DateTimeOffset.UnixEpoch, EndedReason = "cleared", NvSwitch = 3, Link = 4 };
        var entry = new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = GeneratedId, Fault = record };

        var line = Encoding.UTF8.GetString(FaultJournal.Serialize(entry));
        var json = Encoding.UTF8.GetBytes(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var read = JsonSerializer.Deserialize(json, FaultJournalJsonContext.Default.FaultJournalEntry)!;

        Assert.Contains("\"nv_switch\":3,\"link\":4,", line, StringComparison.Ordinal);
        Assert.Contains("\"ended_at\":\"1970-01-01T00:00:00+00:00\",\"ended_reason\":\"cleared\"", line, StringComparison.Ordinal);
        Assert.Equal(line, Encoding.UTF8.GetString(FaultJournal.Serialize(read)));
        Assert.Equal(record, read.Fault! with { Records = record.Records, UnconfirmedRecords = record.UnconfirmedRecords, Surfaces = record.Surfaces, DcgmWrites = record.DcgmWrites });
    }
}
