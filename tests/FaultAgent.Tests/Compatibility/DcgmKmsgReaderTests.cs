using System.Globalization;
using System.Text;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Xids;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// The raw <c>/dev/kmsg</c> records of the agent's lines as a reader of the device gets them — header
/// <c>prio,seq,usec,flags;</c> and text — against the records the driver prints, and what NVIDIA DCGM's hostengine reads
/// from them: since DCGM 3.3.7 it reads <c>/dev/kmsg</c> itself (<c>DcgmKmsgReaderThread</c>) and records Xids 79, 119
/// and 120 (and those of <c>__DCGM_XID_KMSG__</c>) into the GPU's XID_ERRORS field with <c>^\d+,\d+,(\d+),.*;NVRM: Xid
/// \(PCI:(.*)\): (\d+),.*</c>, which wants <c>NVRM: Xid</c> right after the header's <c>;</c>. The agent's record text
/// carries the identifier twice (<c>NVRM: NVRM: Xid</c>, so that journald's MESSAGE, which NVSentinel reads, is the
/// driver's line: <see cref="JournaldIdentifier"/>), and no text can give both — journald cuts the first
/// whitespace-delimited token ending in <c>:</c>, so MESSAGE begins after a space, never after a <c>;</c>. This test
/// holds that trade-off as it is: DCGM reads the driver's record and misses ours.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmKmsgReaderTests
{
    [RootFact]
    public async Task DevKmsgRecords_AgentXid79And119And120_HeaderIsUserWarningAndDcgmMissesThemWhereItReadsTheDrivers()
    {
        var gpu = CompatibilityMatrix.GpuInOwnDomain(out var domain);
        var builder = new XidLineBuilder(XidCatalog.Default);
        var driver = CompatibilityMatrix.Driver("570.195.03");
        int[] xids = [79, 119, 120];
        var records = xids.Select(xid => builder.BuildXid(new XidLineRequest { Xid = xid, Gpu = gpu, Driver = driver, OmitCompanionRecords = true }).MainRecord).ToList();
        var sxid = builder.BuildSxid(new SxidLineRequest { Sxid = 20034, NvSwitch = 1, PciBusId = $"{domain}:06:00.0", Link = 8, OmitCompanionRecords = true }).Records[0];
        records.Add(sxid);

        using var target = new TargetNamespaceProcess();
        using var hostNamespace = new HostMountNamespace(target.Pid);
        using var kernelLog = new DevKmsgKernelLog(hostNamespace, TimeProvider.System);
        // Opened before the write: the reader starts at the ring's oldest record and reads up to the newest, as DCGM's does.
        var fd = LinuxSyscalls.Open("/dev/kmsg", LinuxSyscalls.ReadOnly | LinuxSyscalls.NonBlocking);
        List<string> ours;
        try
        {
            await kernelLog.WriteVerifiedAsync(records, CancellationToken.None);
            ours = [.. ReadAll(fd).Where(r => r.Contains(domain + ":", StringComparison.Ordinal))];
        }
        finally
        {
            LinuxSyscalls.Close(fd);
        }

        Assert.Equal(records.Count, ours.Count);
        for (var i = 0; i < xids.Length; i++)
        {
            var line = JournaldIdentifier.Parse(records[i].Text).Message;
            // Ours: facility user (1, the kernel's for every write from user space) at the driver's level 4 -> 12, flags
            // '-', the text with the doubled identifier.
            Assert.Matches($@"\A12,\d+,\d+,-;NVRM: {Escape(line)}\n\z", ours[i]);
            Assert.False(MonitorPatterns.DcgmKmsgXid.IsMatch(ours[i]), $"DCGM's kmsg reader now reads the agent's record: {ours[i]}");
            // The driver's: nv_printf prints every NVRM line with KERN_CONT and no level, so the record is kern (0) at
            // the default level 4 with the continuation flag 'c' (DCGM's own test record: "4,1227,...,c;NVRM: Xid ...").
            var drivers = $"4,{Sequence(ours[i])},437812449,c;{line}\n";
            var match = MonitorPatterns.DcgmKmsgXid.Match(drivers);
            Assert.True(match.Success, drivers);
            Assert.Equal($"{domain}:3b:00", match.Groups[2].Value); // DCGM appends ".0" and looks the GPU up by it
            Assert.Equal(xids[i].ToString(CultureInfo.InvariantCulture), match.Groups[3].Value);
        }

        // The SXid record: KERN_ERR (3) from nvswitch_os_print, no KERN_CONT; ours is user.err (11), the same text doubled.
        Assert.Matches($@"\A11,\d+,\d+,-;nvidia-nvswitch1: nvidia-nvswitch1: SXid \(PCI:{domain}:06:00\.0\): 20034, Fatal, Link 08 .+\n\z", ours[^1]);
    }

    private static IEnumerable<string> ReadAll(int fd)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var n = LinuxSyscalls.TryRead(fd, buffer);
            if (n == -LinuxSyscalls.Epipe)
            {
                continue; // the ring overwrote the record the reader was at; the next read gets the oldest one left
            }

            if (n == -LinuxSyscalls.Eagain)
            {
                yield break;
            }

            Assert.True(n > 0, $"read(/dev/kmsg) failed: {LinuxSyscalls.Describe((int)-n)}");
            yield return Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }

    private static string Sequence(string record) => record.Split(',')[1];

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
