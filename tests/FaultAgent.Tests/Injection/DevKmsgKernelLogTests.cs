using System.Diagnostics;
using System.Globalization;
using FaultAgent.Faults;
using FaultAgent.Gpus;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Xids;
using Xunit.Abstractions;

namespace FaultAgent.Tests.Injection;

/// <summary>Writes to the machine's real /dev/kmsg from inside a mount namespace of our own.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DevKmsgKernelLogTests : IClassFixture<DevKmsgKernelLogTests.Target>
{
    private static readonly GpuInfo Gpu = new(0, "0000:3b:00.0", "0000:3b:00", "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b", "NVIDIA H100 80GB HBM3", [], "x");
    private readonly Target _target;
    private readonly ITestOutputHelper _output;

    public DevKmsgKernelLogTests(Target target, ITestOutputHelper output)
    {
        _target = target;
        _output = output;
    }

    [RootFact]
    public async Task WriteVerifiedAsync_OneXid_ReturnsTheRecordASeparateReaderSees()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var recorder = KernelLogRecorder.Start(); // before the write: dmesg afterwards may have lost it to other writers
        var lines = new XidLineBuilder(XidCatalog.Default).BuildXid(new XidLineRequest
        {
            Xid = 79,
            Gpu = Gpu,
            Message = "GPU has fallen off the bus. test " + marker,
            Preamble = true,
            Board = new GpuBoardInfo("1653723052734", "10de:2330", null),
        });

        var records = await _target.KernelLog.WriteVerifiedAsync(lines.Records, CancellationToken.None);

        Assert.Equal(lines.Records.Select(r => r.Text), records.Select(r => r.Text));
        Assert.Equal(5, records.Count);
        Assert.All(records, r => Assert.Equal(1, r.Facility));
        Assert.All(records, r => Assert.Equal(4, r.Level));
        Assert.True(records.Zip(records.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
        var main = lines.MainRecordIndex;
        var snapshot = recorder.Snapshot();
        recorder.AssertNoneLost();
        var seen = Assert.Single(snapshot.RecordsContaining(marker));
        Assert.Equal((1, 4), (seen.Facility, seen.Level)); // user:warn
        Assert.Equal(records[main].TimestampMicroseconds, seen.Microseconds);
        Assert.Equal(lines.MainRecord.Text, seen.Text);
        Assert.Equal(records[main].Sequence, seen.Sequence);
    }

    [RootFact]
    public async Task WriteVerifiedAsync_BurstOf100Injections_AllPresentExactlyOnce()
    {
        var marker = Guid.NewGuid().ToString("N");
        var builder = new XidLineBuilder(XidCatalog.Default);
        var injections = Enumerable.Range(0, 100)
            .Select(i => builder.BuildXid(new XidLineRequest { Xid = 13, Gpu = Gpu, Message = string.Create(CultureInfo.InvariantCulture, $"Graphics SM Warp Exception burst {marker} #{i:D3}") }))
            .ToList();

        // Read by a recorder started first, not by dmesg afterwards: the ring keeps ~1,500 records, and other writers on
        // the machine (at 3,000 records/s this run found 27 of the 100 in dmesg) overwrite them before dmesg looks.
        using var recorder = KernelLogRecorder.Start();
        var stopwatch = Stopwatch.StartNew();
        var results = await Task.WhenAll(injections.Select(l => _target.KernelLog.WriteVerifiedAsync(l.Records, CancellationToken.None)));
        stopwatch.Stop();
        _output.WriteLine($"100 verified injections in {stopwatch.Elapsed.TotalMilliseconds:0.0} ms");

        Assert.Equal(100, results.Select(r => Assert.Single(r).Sequence).Distinct().Count());
        var records = recorder.Snapshot();
        recorder.AssertNoneLost();
        var seen = KernelLogRecorder.Containing(records, marker);
        Assert.True(
            injections.Select(l => l.MainRecord.Text).Order(StringComparer.Ordinal).SequenceEqual(seen.Order(StringComparer.Ordinal)),
            $"{seen.Count} kernel log record(s) carry {marker}, the 100 lines once each expected");
        Assert.All(results, r => Assert.True(records.GetValueOrDefault(r[0].Sequence) == r[0].Text, $"proof at {r[0].Sequence}: the kernel log holds '{records.GetValueOrDefault(r[0].Sequence)}', not '{r[0].Text}'"));
    }

    [RootTheory]
    [InlineData("trailing newline\n")]
    [InlineData("empty\n\nline")]
    [InlineData("carriage\rreturn")]
    [InlineData("esc \u001b[31m")]
    [InlineData("nul\0byte")]
    [InlineData("back\\x41slash")]
    [InlineData("non-ascii caf\u00e9")]
    public async Task WriteVerifiedAsync_HostileText_RefusedNothingWritten(string hostile)
    {
        var marker = Guid.NewGuid().ToString("N");
        var good = new KernelLogLine(4, "NVRM: NVRM: good " + marker);
        var bad = new KernelLogLine(4, $"NVRM: NVRM: {marker} {hostile}");
        using var recorder = KernelLogRecorder.Start();

        await Assert.ThrowsAsync<InvalidRequestException>(() => _target.KernelLog.WriteVerifiedAsync([good, bad], CancellationToken.None));

        Assert.Empty(recorder.SnapshotContaining(marker));
    }

    [RootFact]
    public async Task WriteVerifiedAsync_MultiLineRecord_OneRecordReadBackWithItsNewlines()
    {
        var marker = Guid.NewGuid().ToString("N");
        var probe = new KernelLogLine(4, $"NVRM: NVRM: The NVIDIA GPU 0000:b3:00.0 {marker}\nNVRM: (PCI ID: 10de:26b5) installed in this system has\nNVRM: fallen off the bus and is not responding to commands.");
        using var recorder = KernelLogRecorder.Start();

        var record = Assert.Single(await _target.KernelLog.WriteVerifiedAsync([probe], CancellationToken.None));
        var read = await _target.KernelLog.ReadFromAsync(record.Sequence, CancellationToken.None);

        Assert.Equal(probe.Text, record.Text);
        // One record in the log, at the proof's sequence, its newlines escaped there as /dev/kmsg gives them.
        var snapshot = recorder.Snapshot();
        recorder.AssertNoneLost();
        var logged = Assert.Single(snapshot.RecordsContaining(marker));
        Assert.Equal((record.Sequence, probe.Text.Replace("\n", "\\x0a", StringComparison.Ordinal)), (logged.Sequence, logged.Text));
        // The agent's own reader, asked again from that sequence, gives it back with its newlines — if the ring still held
        // it: other writers may have overwritten it since (the recorder above proved it landed).
        var again = read.FirstOrDefault(r => r.Sequence == record.Sequence);
        Assert.True(
            again is not null || (read.Count > 0 && read[0].Sequence > record.Sequence),
            $"the agent's reader, from sequence {record.Sequence}, gave {read.Count} record(s) from {(read.Count > 0 ? read[0].Sequence : 0)}, none at {record.Sequence}");
        Assert.True(again is null || again.Text == probe.Text, $"read again at {record.Sequence}: '{again?.Text}'");
    }

    [RootFact]
    public async Task WriteVerifiedAsync_TooLong_RefusedNothingWritten()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var recorder = KernelLogRecorder.Start();

        var error = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            _target.KernelLog.WriteVerifiedAsync([new KernelLogLine(4, "NVRM: NVRM: " + marker + new string('x', 980))], CancellationToken.None));

        Assert.Equal("text", error.Field);
        Assert.Empty(recorder.SnapshotContaining(marker));
    }

    [RootFact]
    public async Task WriteVerifiedAsync_LongestRecord_Lands()
    {
        var marker = Guid.NewGuid().ToString("N");
        var prefix = "NVRM: NVRM: " + marker + " ";
        var text = prefix + new string('y', KernelLogText.MaxRecordBytes - KernelLogText.RecordBytes(4, prefix));
        using var recorder = KernelLogRecorder.Start();

        var record = Assert.Single(await _target.KernelLog.WriteVerifiedAsync([new KernelLogLine(4, text)], CancellationToken.None));

        Assert.Equal(text, record.Text);
        Assert.Equal(text, Assert.Single(recorder.SnapshotContaining(marker)));
    }

    [RootFact]
    public async Task GetNextSequenceAndReadFrom_AfterWrite_FindTheRecord()
    {
        var marker = Guid.NewGuid().ToString("N");
        var next = await _target.KernelLog.GetNextSequenceAsync(CancellationToken.None);

        var written = Assert.Single(await _target.KernelLog.WriteVerifiedAsync([new KernelLogLine(4, "NVRM: NVRM: read-back " + marker)], CancellationToken.None));
        var read = await _target.KernelLog.ReadFromAsync(next, CancellationToken.None);

        Assert.True(written.Sequence >= next);
        Assert.All(read, r => Assert.True(r.Sequence >= next));
        Assert.Equal(written, Assert.Single(read, r => r.Text.Contains(marker, StringComparison.Ordinal)));
        Assert.True(await _target.KernelLog.GetNextSequenceAsync(CancellationToken.None) > written.Sequence);
    }

    [RootFact]
    public async Task WriteVerifiedAsync_AnotherWriterLogsTheIdenticalLineBeforeTheWrite_ProofIsTheAgentsOwnRecord()
    {
        // The other writer's line lands after the reader was drained (the point where the pending entry's fsync runs)
        // and before this write(): it is not ours, however identical.
        var text = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. " + Guid.NewGuid().ToString("N");
        using var recorder = KernelLogRecorder.Start();
        ulong drainedAt = 0;

        var written = Assert.Single(await _target.KernelLog.WriteVerifiedAsync(
            [new KernelLogLine(4, text)],
            next =>
            {
                drainedAt = next;
                KernelLogRingFiller.WriteOne(4, text);
            },
            CancellationToken.None));

        var copies = recorder.Snapshot().Where(r => r.Value == text).Select(r => r.Key).Order().ToList();
        recorder.AssertNoneLost();
        Assert.True(copies.Count == 2, $"expected the other writer's copy and ours, saw {copies.Count} record(s) with the text at sequence(s) {string.Join(", ", copies)}");
        Assert.True(copies[0] >= drainedAt, $"the other writer's copy ({copies[0]}) is before the drained sequence {drainedAt}");
        Assert.True(written.Sequence == copies[1], $"the proof names sequence {written.Sequence}; the other writer's copy is {copies[0]}, ours {copies[1]}");
    }

    [RootFact]
    public async Task WriteVerifiedAsync_RingOverwrittenByOthersBeforeTheWrite_VerifiedAtItsOwnRecord()
    {
        // Others log enough between the drain and this write() for the ring to overwrite records the reader had not read
        // yet: those records were all stored before the write, so they cannot be it — the write is verified, not unknown.
        var marker = Guid.NewGuid().ToString("N");
        var text = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, ring overwritten before " + marker;
        var filled = 0;
        ulong drainedAt = 0;
        using var recorder = KernelLogRecorder.Start();

        var written = Assert.Single(await _target.KernelLog.WriteVerifiedAsync(
            [new KernelLogLine(4, text)],
            next =>
            {
                drainedAt = next;
                filled = KernelLogRingFiller.WrapPast(next, marker);
            },
            CancellationToken.None));

        _output.WriteLine($"{filled} filler records made the ring overwrite sequence {drainedAt}; the record landed at {written.Sequence}");
        Assert.Equal(text, written.Text);
        var copies = recorder.Snapshot().SequencesOf(text);
        recorder.AssertNoneLost();
        Assert.Equal([written.Sequence], copies);
        Assert.True(written.Sequence > drainedAt + (ulong)filled - 1, $"the proof names sequence {written.Sequence}, among the {filled} filler records from {drainedAt}");
    }

    public sealed class Target : IDisposable
    {
        private readonly TargetNamespaceProcess _process = new();
        private readonly HostMountNamespace _namespace;

        public Target()
        {
            _namespace = new HostMountNamespace(_process.Pid);
            KernelLog = new DevKmsgKernelLog(_namespace, TimeProvider.System);
        }

        public DevKmsgKernelLog KernelLog { get; }

        public void Dispose()
        {
            KernelLog.Dispose();
            _namespace.Dispose();
            _process.Dispose();
        }
    }
}
