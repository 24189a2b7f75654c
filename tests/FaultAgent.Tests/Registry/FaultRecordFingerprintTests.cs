using System.Reflection;
using System.Text;
using System.Text.Json;
using FaultAgent.Faults;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A record keeps its request fingerprint as the digest's 32 bytes (#14, the agent's memory), and every reader still sees
/// the 64 hex digits it was given: the journal line, the record's equality, any other value kept as it came.
/// </summary>
public sealed class FaultRecordFingerprintTests
{
    private static readonly string Digest = FaultRequestValidator.Fingerprint("xid", "f-1", 79, 0, "message");

    private static readonly FaultKernelRecord[] KernelRecords = [new FaultKernelRecord("NVRM: NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.", 3, 1, 42, 7, DateTimeOffset.UnixEpoch)];

    private static FaultRecord Record(string fingerprint) => new()
    {
        FaultId = "f-1",
        NodeName = "node-a",
        Kind = FaultKind.Xid,
        Code = 79,
        FaultType = "gpu_xid_79",
        Line = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
        Records = KernelRecords,
        InjectedAt = DateTimeOffset.UnixEpoch,
        BootId = "boot-1",
        RequestFingerprint = fingerprint,
    };

    [Fact]
    public void RequestFingerprint_Digest_IsNotHeldAsText()
    {
        var record = Record(Digest);

        var heldStrings = typeof(FaultRecord)
            .GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(f => f.FieldType == typeof(string))
            .Select(f => (string?)f.GetValue(record));
        Assert.DoesNotContain(Digest, heldStrings);
        Assert.Equal(Digest, record.RequestFingerprint);
    }

    [Fact]
    public void Serialize_DigestFingerprint_JournalLineUnchanged()
    {
        var entry = new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = "f-1", Fault = Record(Digest) };

        var line = Encoding.UTF8.GetString(FaultJournal.Serialize(entry));

        // The line as the agent wrote it before the digest was kept as bytes (main 61caa8d; checksum, then JSON).
        Assert.Equal(
            "11b2fc5d7d9dd002 {\"op\":\"Recorded\",\"fault_id\":\"f-1\",\"fault\":{\"fault_id\":\"f-1\",\"node_name\":\"node-a\",\"kind\":\"Xid\",\"code\":79,"
            + "\"fault_type\":\"gpu_xid_79\",\"gpu_id\":0,\"pci_bus_id\":\"\",\"gpu_uuid\":\"\",\"nv_switch\":0,\"link\":0,\"message\":\"\","
            + "\"line\":\"NVRM: Xid (PCI:0000:3b:00): 79, pid=\\u0027\\u003Cunknown\\u003E\\u0027, name=\\u003Cunknown\\u003E, GPU has fallen off the bus.\","
            + "\"records\":[{\"text\":\"NVRM: NVRM: Xid (PCI:0000:3b:00): 79, pid=\\u0027\\u003Cunknown\\u003E\\u0027, name=\\u003Cunknown\\u003E, GPU has fallen off the bus.\","
            + "\"level\":3,\"facility\":1,\"sequence\":42,\"timestamp_microseconds\":7,\"observed_at\":\"1970-01-01T00:00:00+00:00\"}],"
            + "\"state\":\"Active\",\"injected_at\":\"1970-01-01T00:00:00+00:00\",\"caller\":\"\","
            + "\"request_fingerprint\":\"7a0865456abbd5df95523deac71badaabe94f220f37694b84ba4c40568c21e49\",\"boot_id\":\"boot-1\",\"severity\":\"\",\"recommended_action\":\"\","
            + "\"write_outcome\":\"Verified\",\"unconfirmed_records\":[],\"surfaces\":[],\"dcgm_writes\":[]}}\n",
            line);
        var json = Encoding.UTF8.GetBytes(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var read = JsonSerializer.Deserialize(json, FaultJournalJsonContext.Default.FaultJournalEntry)!;
        Assert.Equal(Digest, read.Fault!.RequestFingerprint);
        Assert.Equal(line, Encoding.UTF8.GetString(FaultJournal.Serialize(read)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("fp")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    public void RequestFingerprint_NotALowercaseDigest_KeptAsGiven(string fingerprint)
    {
        var record = Record(fingerprint);

        Assert.Same(fingerprint, record.RequestFingerprint);
        Assert.Equal(record, Record(new string(fingerprint.AsSpan())));
        Assert.NotEqual(record, Record(Digest));
    }

    [Fact]
    public void Equals_SameDigestFromOtherStrings_EqualOtherDigestNot()
    {
        var other = FaultRequestValidator.Fingerprint("xid", "f-1", 79, 0, "another message");

        Assert.Equal(Record(Digest), Record(new string(Digest.AsSpan())));
        Assert.Equal(Record(Digest).GetHashCode(), Record(new string(Digest.AsSpan())).GetHashCode());
        Assert.NotEqual(Record(Digest), Record(other));
        Assert.Equal(other, (Record(Digest) with { RequestFingerprint = other }).RequestFingerprint);
        Assert.Equal(Digest, (Record(other) with { FaultId = "f-2", RequestFingerprint = Digest }).RequestFingerprint);
    }
}
