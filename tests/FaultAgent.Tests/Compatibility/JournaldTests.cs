using System.Globalization;
using System.Text.Json;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Xids;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// What the product claims journald shows, against the real journald: records written to the machine's /dev/kmsg (from
/// a mount namespace of our own, as the agent writes them) read back with <c>journalctl -k -o json</c>: MESSAGE is the
/// driver's text (the doubled identifier cut off), SYSLOG_IDENTIFIER the line's own tag (NVRM; the driver's record has kernel), PRIORITY the driver's level,
/// _TRANSPORT kernel (what NVSentinel's kernel-origin checks read), and a multi-line record stays one entry with its
/// newlines, which NVSentinel's GPU-fallen pattern reads.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class JournaldTests
{
    [RootFact]
    public async Task Journald_AgentRecordsOfA570Node_MessagesAreTheDriversLinesAtTheDriversPriority()
    {
        var serial = Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(CultureInfo.InvariantCulture); // 13 digits, as boards print
        var gpu = CompatibilityMatrix.GpuInOwnDomain(out var domain);
        var builder = new XidLineBuilder(XidCatalog.Default);
        var xid = builder.BuildXid(new XidLineRequest
        {
            Xid = 79,
            Gpu = gpu,
            Driver = CompatibilityMatrix.Driver("570.195.03"),
            Preamble = true,
            Board = new GpuBoardInfo(serial, "10de:2330", null),
            FallenOffBusProbe = true,
        });
        var sxid = builder.BuildSxid(new SxidLineRequest { Sxid = 20034, NvSwitch = 1, PciBusId = $"{domain}:06:00.0", Link = 8 });
        // One record of each other form the matrix reads through journald's MESSAGE: the r565 form, MIG with a process,
        // Xid 45's root cause, a Correctable SXid.
        var correctable = XidCatalog.Default.Sxids.First(s => s.ErrorClass == "Correctable").Sxid;
        KernelLogLine[] otherForms =
        [
            builder.BuildXid(new XidLineRequest { Xid = 48, Gpu = gpu, Driver = CompatibilityMatrix.Driver("535.161.08"), OmitCompanionRecords = true }).MainRecord,
            builder.BuildXid(new XidLineRequest { Xid = 43, Gpu = gpu, Driver = CompatibilityMatrix.Driver("570.195.03"), GpuInstance = 1, ComputeInstance = 0, Pid = 2815167, ProcessName = "pt_main_thread", OmitCompanionRecords = true }).MainRecord,
            builder.BuildXid(new XidLineRequest { Xid = 45, Gpu = gpu, Driver = CompatibilityMatrix.Driver("590.48.01"), Pid = 1818990, ProcessName = "python3", Channel = 1, PreviousXid = 149, OmitCompanionRecords = true }).MainRecord,
            builder.BuildSxid(new SxidLineRequest { Sxid = correctable, NvSwitch = 2, PciBusId = $"{domain}:07:00.0", Link = 3 }).Records[0],
        ];
        var records = xid.Records.Concat(sxid.Records).Concat(otherForms).ToList();

        using var journald = new OwnJournald();
        using var target = new TargetNamespaceProcess();
        using var hostNamespace = new HostMountNamespace(target.Pid);
        using var kernelLog = new DevKmsgKernelLog(hostNamespace, TimeProvider.System);
        await kernelLog.WriteVerifiedAsync(records, CancellationToken.None);

        List<JsonElement> ours = [];
        var all = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (ours.Count < records.Count)
        {
            if (DateTime.UtcNow >= deadline)
            {
                // journald reads /dev/kmsg like any reader: other writers logging faster than it reads make the ring
                // overwrite records before it gets to them, which it notes as "Missed N kernel messages".
                var missed = await journald.MissedKernelMessagesAsync(CancellationToken.None);
                Assert.Fail($"journald holds {ours.Count} of the {records.Count} records after 60 s ({all} kernel entries in all); "
                    + (missed.Count == 0 ? "it noted no missed kernel messages" : $"it noted {string.Join("; ", missed.TakeLast(5))} ({missed.Count} such notes)"));
            }

            await Task.Delay(250);
            var entries = await journald.KernelEntriesAsync(CancellationToken.None);
            all = entries.Count;
            ours = [.. entries.Where(e => Text(e, "MESSAGE").Contains(domain + ":", StringComparison.Ordinal) || Text(e, "MESSAGE").Contains(serial, StringComparison.Ordinal))];
        }

        Assert.Equal(records.Select(r => JournaldIdentifier.Parse(r.Text).Message), ours.Select(e => Text(e, "MESSAGE")));
        Assert.Equal(records.Select(r => JournaldIdentifier.Parse(r.Text).Identifier), ours.Select(e => Text(e, "SYSLOG_IDENTIFIER")));
        Assert.Equal(records.Select(r => r.Level.ToString(CultureInfo.InvariantCulture)), ours.Select(e => Text(e, "PRIORITY")));
        Assert.All(ours, e => Assert.Equal("kernel", Text(e, "_TRANSPORT")));
        // What the matrix reads as journald's MESSAGE is what journald gives, record for record.
        Assert.Equal(records.Select(r => new KernelRecordView(r.Text, FromUserSpace: true).JournalMessage), ours.Select(e => Text(e, "MESSAGE")));
        Assert.Equal($"Xid 48 @{domain}:3b:00", MonitorReadings.NvSentinel(Text(ours[^4], "MESSAGE")));
        Assert.StartsWith($"NVRM: Xid (PCI:{domain}:3b:00): 48, pid='<unknown>', name=<unknown>, ", Text(ours[^4], "MESSAGE"), StringComparison.Ordinal);
        Assert.StartsWith($"NVRM: Xid (PCI:{domain}:3b:00 GPU-I:01 GPU-CI:00): 43, pid=2815167, name=pt_main_thread, ", Text(ours[^3], "MESSAGE"), StringComparison.Ordinal);
        Assert.Equal(MonitorReadings.Nothing, MonitorReadings.NvSentinel(Text(ours[^3], "MESSAGE"))); // NVSentinel misses MIG lines
        Assert.Equal($"NVRM: Xid (PCI:{domain}:3b:00): 45, pid=1818990, name=python3, Ch 00000001 caused by previous Xid 149", Text(ours[^2], "MESSAGE"));
        Assert.Equal(MonitorReadings.Nothing, MonitorReadings.NvSentinel(Text(ours[^1], "MESSAGE"))); // nor Correctable SXids
        Assert.Equal("3", Text(ours[^1], "PRIORITY"));
        Assert.Equal($"NVRM: Xid (PCI:{domain}:3b:00): 79, GPU has fallen off the bus.", Text(ours[2], "MESSAGE"));
        Assert.Equal($"NVRM: GPU {domain}:3b:00.0: GPU has fallen off the bus.", Text(ours[3], "MESSAGE"));
        Assert.Equal($"NVRM: GPU {domain}:3b:00.0: GPU serial number is {serial}.", Text(ours[4], "MESSAGE"));
        var probe = Text(ours[5], "MESSAGE");
        Assert.Equal($"{domain}:3b:00.0", MonitorPatterns.NvSentinelGpuFallen.Match(probe).Groups[1].Value);
        Assert.Equal($"Xid 79 @{domain}:3b:00", MonitorReadings.NvSentinel(Text(ours[2], "MESSAGE")));
        Assert.Equal("SXid 20034 Fatal", MonitorReadings.NvSentinel(Text(ours[6], "MESSAGE")));
    }

    private static string Text(JsonElement entry, string field) =>
        entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
