using System.Text;
using System.Text.Json.Nodes;
using FaultAgent.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// The <c>recorded</c> entry as a delta of its <c>pending</c> entry (#14, <see cref="RecordedDelta"/>): what is written,
/// that it loads back to the same fault, that journals written before it still load, and that a delta whose pending entry
/// is gone records nothing.
/// </summary>
public sealed class RecordedDeltaTests : IDisposable
{
    // A pending entry and its recorded entry exactly as main at c111926 wrote them (the native agent on this machine,
    // POST /inject-xid, 2026-12-03): the recorded entry holds the whole fault again.
    private const string JournalOfC111926 = """
8f97cdd2ec9b9a2a {"op":"Pending","fault_id":"fault-01a23bf5cdcb7980baa6ac5e5d0c1f3d","fault":{"fault_id":"fault-01a23bf5cdcb7980baa6ac5e5d0c1f3d","node_name":"gpu-node-001","kind":"Xid","code":79,"fault_type":"gpu_xid_79","gpu_id":0,"pci_bus_id":"0000:19:00.0","gpu_uuid":"GPU-ee7954ec-da95-fd7a-ddfd-c6b32cc2f8aa","nv_switch":0,"link":0,"message":"bench-abcdef0123-v grpc-3","line":"NVRM: Xid (PCI:0000:19:00): 79, pid=\u0027\u003Cunknown\u003E\u0027, name=\u003Cunknown\u003E, bench-abcdef0123-v grpc-3","records":[{"text":"NVRM: NVRM: Xid (PCI:0000:19:00): 79, pid=\u0027\u003Cunknown\u003E\u0027, name=\u003Cunknown\u003E, bench-abcdef0123-v grpc-3","level":4,"facility":1,"sequence":0,"timestamp_microseconds":0},{"text":"NVRM: NVRM: GPU 0000:19:00.0: GPU has fallen off the bus.","level":4,"facility":1,"sequence":0,"timestamp_microseconds":0}],"state":"Active","injected_at":"2026-12-03T12:51:34.4750588+00:00","caller":"fault-api","request_fingerprint":"db7177995859f27dba5ee2eecbafcd99ebda55b2f2fb20d910185f8958f91f0f","boot_id":"14577704-8b7b-448e-b873-3218dfd3b524","severity":"critical","recommended_action":"RESTART_BM","write_outcome":"Verified","unconfirmed_records":[],"surfaces":["kmsg"],"dcgm_writes":[],"driver":{"driver_version":"535.161.08","version_source":"node","line_form":"r565","notes":["The board serial is unknown (nvidia-smi could not be run: \u0027/usr/bin/nvidia-smi\u0027 cannot be executed on the host: nsenter: failed to execute /usr/bin/nvidia-smi: No such file or directory): the \u0027NVRM: GPU 0000:19:00.0: GPU serial number is \u003Cserial\u003E.\u0027 line is left out; a serial is never invented."]}},"from_sequence":3207428,"batch_index":0}
db1b474d2d5e8ea7 {"op":"Recorded","fault_id":"fault-01a23bf5cdcb7980baa6ac5e5d0c1f3d","fault":{"fault_id":"fault-01a23bf5cdcb7980baa6ac5e5d0c1f3d","node_name":"gpu-node-001","kind":"Xid","code":79,"fault_type":"gpu_xid_79","gpu_id":0,"pci_bus_id":"0000:19:00.0","gpu_uuid":"GPU-ee7954ec-da95-fd7a-ddfd-c6b32cc2f8aa","nv_switch":0,"link":0,"message":"bench-abcdef0123-v grpc-3","line":"NVRM: Xid (PCI:0000:19:00): 79, pid=\u0027\u003Cunknown\u003E\u0027, name=\u003Cunknown\u003E, bench-abcdef0123-v grpc-3","records":[{"text":"NVRM: NVRM: Xid (PCI:0000:19:00): 79, pid=\u0027\u003Cunknown\u003E\u0027, name=\u003Cunknown\u003E, bench-abcdef0123-v grpc-3","level":4,"facility":1,"sequence":3207428,"timestamp_microseconds":66220402553,"observed_at":"2026-12-03T12:51:34.4756336+00:00"},{"text":"NVRM: NVRM: GPU 0000:19:00.0: GPU has fallen off the bus.","level":4,"facility":1,"sequence":3207429,"timestamp_microseconds":66220402567,"observed_at":"2026-12-03T12:51:34.4756336+00:00"}],"state":"Active","injected_at":"2026-12-03T12:51:34.4750588+00:00","caller":"fault-api","request_fingerprint":"db7177995859f27dba5ee2eecbafcd99ebda55b2f2fb20d910185f8958f91f0f","boot_id":"14577704-8b7b-448e-b873-3218dfd3b524","severity":"critical","recommended_action":"RESTART_BM","write_outcome":"Verified","unconfirmed_records":[],"surfaces":["kmsg"],"dcgm_writes":[],"driver":{"driver_version":"535.161.08","version_source":"node","line_form":"r565","notes":["The board serial is unknown (nvidia-smi could not be run: \u0027/usr/bin/nvidia-smi\u0027 cannot be executed on the host: nsenter: failed to execute /usr/bin/nvidia-smi: No such file or directory): the \u0027NVRM: GPU 0000:19:00.0: GPU serial number is \u003Cserial\u003E.\u0027 line is left out; a serial is never invented."]}}}
""";

    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Initialize_JournalWrittenByC111926_LoadsTheFaultWithItsProofs()
    {
        File.WriteAllText(_context.JournalPath, JournalOfC111926 + "\n");
        _context.BootId.BootId = "14577704-8b7b-448e-b873-3218dfd3b524";

        var registry = await _context.StartAsync();

        var fault = await registry.GetAsync("fault-01a23bf5cdcb7980baa6ac5e5d0c1f3d", CancellationToken.None);
        Assert.Equal(FaultState.Active, fault.State);
        Assert.Equal(FaultWriteOutcome.Verified, fault.WriteOutcome);
        Assert.Equal("bench-abcdef0123-v grpc-3", fault.Message);
        Assert.Equal([3207428UL, 3207429UL], fault.Records.Select(r => r.Sequence));
        Assert.Equal([66220402553UL, 66220402567UL], fault.Records.Select(r => r.TimestampMicroseconds));
        Assert.All(fault.Records, r => Assert.Equal(DateTimeOffset.Parse("2026-12-03T12:51:34.4756336+00:00", System.Globalization.CultureInfo.InvariantCulture), r.ObservedAt));
        Assert.Equal("NVRM: NVRM: GPU 0000:19:00.0: GPU has fallen off the bus.", fault.Records[1].Text);
        Assert.Equal(1, registry.RecordCount);
    }

    [Fact]
    public async Task RecordInjection_Verified_JournalsTheProofsNotTheFaultAgain()
    {
        var registry = await _context.StartAsync();
        var planned = _context.Planned("f-1", "NVRM: NVRM: Xid (PCI:0000:3b:00): 79, one") with
        {
            Records = [new("NVRM: NVRM: Xid (PCI:0000:3b:00): 79, one", 3, 1, 0, 0, null), new("NVRM: NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.", 3, 1, 0, 0, null)],
        };

        var registration = await _context.InjectAsync(registry, planned);

        var lines = File.ReadAllLines(_context.JournalPath);
        var recorded = JsonNode.Parse(lines[^1][17..])!.AsObject();
        Assert.Equal("Recorded", (string?)recorded["op"]);
        Assert.Null(recorded["fault"]);
        Assert.Equal("Verified", (string?)recorded["write_outcome"]);
        Assert.Equal(
            _context.KernelLog.Records.Select(r => r.Sequence),
            recorded["proofs"]!.AsArray().Select(p => (ulong)p!["sequence"]!));
        Assert.True(Encoding.UTF8.GetByteCount(lines[^1]) < 400, $"the recorded line takes {Encoding.UTF8.GetByteCount(lines[^1])} bytes");
        var loaded = new FaultJournal(_context.Directory.Path, NullLogger<FaultJournal>.Instance).Load();
        Assert.Equal(Json(registration.Fault), Json(loaded.Entries[^1].Fault!));

        var restarted = await _context.StartAsync();

        Assert.Equal(Json(registration.Fault), Json(await restarted.GetAsync("f-1", CancellationToken.None)));
    }

    [Fact]
    public async Task Load_RecordedDeltaWithoutItsPendingEntry_SkipsItAsDamaged()
    {
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("f-1", "NVRM: NVRM: Xid (PCI:0000:3b:00): 79, one"));
        registry.Dispose();
        var lines = File.ReadAllLines(_context.JournalPath);
        File.WriteAllLines(_context.JournalPath, lines.Where(l => !l.Contains("\"op\":\"Pending\"", StringComparison.Ordinal)));

        var loaded = new FaultJournal(_context.Directory.Path, NullLogger<FaultJournal>.Instance).Load();

        Assert.Empty(loaded.Entries);
        Assert.Equal(1, loaded.DamagedLines);
    }

    private static string Json(FaultRecord fault) =>
        Encoding.UTF8.GetString(FaultJournal.Serialize(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = fault.FaultId, Fault = fault }));
}
