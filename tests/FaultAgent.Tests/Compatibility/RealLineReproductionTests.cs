using FaultAgent.Gpus;
using FaultAgent.Injection;
using FaultAgent.Xids;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// Byte for byte: for each real captured line (TestData/real_xid_lines.txt, from the shared samples) whose driver branch
/// is known, the agent given the same PCI address, code, process and body writes the identical text (after journald
/// cuts the doubled identifier) at the driver's level: 4 for NVRM records (the captures' <c>kern :warn</c>), 3 for SXid
/// (<c>kern :err</c>).
/// </summary>
public sealed partial class RealLineReproductionTests
{
    private static readonly XidLineBuilder Builder = new(XidCatalog.Default);

    private static GpuInfo Gpu(string bdf, string? uuid = null) => new(0, bdf, bdf[..^2], uuid, "NVIDIA H100 80GB HBM3", [], "x");

    /// <summary>
    /// Every NVRM Xid line of TestData/real_xid_lines.txt whose source names its driver (<c>driver 535.183.01</c>,
    /// <c>(RTX 5080, 595.71.05)</c>, <c>driver 535.x</c>), from the r5xx branches the agent writes. The two captures from
    /// drivers 418 and 450 print forms no current driver prints (see <see cref="SampleLines_DriverBelowR500_OnlyTheTwoLegacyCaptures"/>).
    /// </summary>
    public static TheoryData<string, string> SampleLinesWithKnownDriver()
    {
        var data = new TheoryData<string, string>();
        foreach (var (line, driver) in SampleXidLinesWithDriver().Where(l => !IsLegacy(l.Driver)))
        {
            data.Add(line, driver);
        }

        return data;
    }

    /// <summary>Real lines whose driver branch is known from the capture around them rather than its source note.</summary>
    public static TheoryData<string, string> LinesWithInferredDriver => new()
    {
        // gpud testdata dmesg.decode.iso.log.0: kern :warn, the same node's Xid 13 lines print the r565 form
        { "NVRM: Xid (PCI:0000:38:00): 43, pid=2815167, name=pt_main_thread, Ch 00000008", "535" },
        // NVIDIA forum thread (Xid 62 / 154 on RTX PRO 6000), whose Xid 62 line names driver 595.58.03
        { "NVRM: Xid (PCI:0000:01:00): 45, pid=12542, name=VLLM::Worker, channel 0x00000002", "595.58.03" },
        // gpud sxid README (H100 HGX): the unknown-process form, so a driver up to 565
        { "NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.", "565" },
    };

    [Fact]
    public void SampleLines_DriverBelowR500_OnlyTheTwoLegacyCaptures()
    {
        // 418 prints no pid/name at all, 450 a pid without a name: forms the agent does not write (no driver it models prints them).
        Assert.Equal(["450.80.02", "418"], SampleXidLinesWithDriver().Where(l => IsLegacy(l.Driver)).Select(l => l.Driver));
        Assert.Equal(7, SampleLinesWithKnownDriver().Count);
    }

    [Theory]
    [MemberData(nameof(SampleLinesWithKnownDriver))]
    [MemberData(nameof(LinesWithInferredDriver))]
    public void BuildXid_SameFieldsAsARealLine_IdenticalTextAtLevel4(string real, string driver)
    {
        var fields = RealXidLineFields.Parse(real);
        var lines = Builder.BuildXid(new XidLineRequest
        {
            Xid = fields.Xid,
            Gpu = Gpu(fields.Pci + ".0"),
            Driver = CompatibilityMatrix.Driver(driver),
            Message = fields.Message,
            Channel = fields.Channel,
            Pid = fields.Pid,
            ProcessName = fields.ProcessName,
            PreviousXid = fields.PreviousXid,
            OmitCompanionRecords = true,
        });

        Assert.Equal(real, lines.MonitorLine);
        Assert.Equal(real, JournaldIdentifier.Parse(lines.MainRecord.Text).Message);
        Assert.Equal(4, lines.MainRecord.Level);
    }

    [Fact]
    public void BuildXid_Xid79OfAnR565Node_XidAndBothFollowUpsAsCaptured()
    {
        var lines = Builder.BuildXid(new XidLineRequest
        {
            Xid = 79,
            Gpu = Gpu("0000:91:00.0"),
            Driver = CompatibilityMatrix.Driver("565"),
            Board = new GpuBoardInfo("1653723052734", "10de:2330", null),
        });

        // gpud components/accelerator/nvidia/sxid/README.md, [6781741.548779] to [6781741.548786]
        Assert.Equal(
            [
                "NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
                "NVRM: GPU 0000:91:00.0: GPU has fallen off the bus.",
                "NVRM: GPU 0000:91:00.0: GPU serial number is 1653723052734.",
            ],
            lines.Records.Select(r => JournaldIdentifier.Parse(r.Text).Message));
        Assert.All(lines.Records, r => Assert.Equal(4, r.Level));
    }

    [Fact]
    public void BuildXid_PreambleOfARealNode_GpuAtAndSerialAsCaptured()
    {
        var lines = Builder.BuildXid(new XidLineRequest
        {
            Xid = 119,
            Gpu = Gpu("0000:9b:00.0", "GPU-509665ad-b600-ac93-3616-d754b23d636d"),
            Driver = CompatibilityMatrix.Driver("570"),
            Pid = 2024380,
            ProcessName = "nvidia-smi",
            Message = "Timeout after 6s of waiting for RPC response from GPU4 GSP! Expected function 103 (GSP_RM_ALLOC) (0x2081 0x4).",
            Preamble = true,
            Board = new GpuBoardInfo("1650124014249", null, "nvidia-smi reports no PCI device id"),
        });

        // gpud components/accelerator/nvidia/xid/testdata/dmesg-with-xid-119.log (Dell XE9680 H100)
        Assert.Equal(
            [
                "NVRM: GPU at PCI:0000:9b:00: GPU-509665ad-b600-ac93-3616-d754b23d636d",
                "NVRM: GPU Board Serial Number: 1650124014249",
                "NVRM: Xid (PCI:0000:9b:00): 119, pid=2024380, name=nvidia-smi, Timeout after 6s of waiting for RPC response from GPU4 GSP! Expected function 103 (GSP_RM_ALLOC) (0x2081 0x4).",
            ],
            lines.Records.Select(r => JournaldIdentifier.Parse(r.Text).Message));
    }

    [Fact]
    public void BuildXid_ProbeOfA570Node_TheMultiLineRecordAsCaptured()
    {
        var lines = Builder.BuildXid(new XidLineRequest
        {
            Xid = 79,
            Gpu = Gpu("0000:b3:00.0"),
            Driver = CompatibilityMatrix.Driver("570.158.01"),
            Board = new GpuBoardInfo(null, "10de:26b5", "nvidia-smi reports no board serial ([N/A])"),
            FallenOffBusProbe = true,
        });

        // NVIDIA/NVSentinel#155 and leptonai/gpud#1209 (driver 570.158.01, PCI ID 10de:26b5)
        Assert.Equal(
            "NVRM: The NVIDIA GPU 0000:b3:00.0\nNVRM: (PCI ID: 10de:26b5) installed in this system has\nNVRM: fallen off the bus and is not responding to commands.",
            JournaldIdentifier.Parse(lines.Records[^1].Text).Message);
        Assert.Equal(4, lines.Records[^1].Level);
    }

    [Fact]
    public void BuildSxid_SameFieldsAsRealSxidLines_IdenticalTextAtLevel3()
    {
        // NVIDIA/nvtrust#124 (driver 570.195.03)
        var nvtrust = Builder.BuildSxid(new SxidLineRequest
        {
            Sxid = 22013, NvSwitch = 3, PciBusId = "0000:04:00.0", Link = 44, Message = "Minion Link DLREQ interrupt",
            Data = [0x2b, 0x2b, 0, 0x2b, 0x80005302],
        });
        Assert.Equal(
            [
                "nvidia-nvswitch3: SXid (PCI:0000:04:00.0): 22013, Non-fatal, Link 44 Minion Link DLREQ interrupt",
                "nvidia-nvswitch3: SXid (PCI:0000:04:00.0): 22013, Severity 0 Engine instance 44 Sub-engine instance 00",
                "nvidia-nvswitch3: SXid (PCI:0000:04:00.0): 22013, Data {0x0000002b, 0x0000002b, 0x00000000, 0x0000002b, 0x80005302, 0x00000000, 0x00000000, 0x00000000, 0x00000000}",
            ],
            nvtrust.Records.Select(r => JournaldIdentifier.Parse(r.Text).Message));
        Assert.All(nvtrust.Records, r => Assert.Equal(3, r.Level));

        // gpud sxid README (H100 HGX): two switches, one fatal event each
        Assert.Equal(
            "nvidia-nvswitch1: SXid (PCI:0000:06:00.0): 20034, Fatal, Link 48 LTSSM Fault Up",
            Builder.BuildSxid(new SxidLineRequest { Sxid = 20034, NvSwitch = 1, PciBusId = "0000:06:00.0", Link = 48, Message = "LTSSM Fault Up" }).MonitorLine);
        Assert.Equal(
            "nvidia-nvswitch2: SXid (PCI:0000:07:00.0): 20034, Severity 1 Engine instance 60 Sub-engine instance 00",
            JournaldIdentifier.Parse(Builder.BuildSxid(new SxidLineRequest { Sxid = 20034, NvSwitch = 2, PciBusId = "0000:07:00.0", Link = 60, Message = "LTSSM Fault Up" }).Records[1].Text).Message);

        // leptonai/gpud#338 (dmesg --decode: kern :err)
        var data = Builder.BuildSxid(new SxidLineRequest
        {
            Sxid = 12028, NvSwitch = 1, PciBusId = "0000:84:00.0", Link = 32,
            Data = [0x1c0, 0xbd5c8a, 0x500, 0x64, 0, 0x40008000, 0x5a001100],
        });
        Assert.Equal(
            "nvidia-nvswitch1: SXid (PCI:0000:84:00.0): 12028, Data {0x000001c0, 0x00bd5c8a, 0x00000500, 0x00000064, 0x00000000, 0x40008000, 0x5a001100, 0x00000000, 0x00000000}",
            JournaldIdentifier.Parse(data.Records[2].Text).Message);
        Assert.Equal(3, data.Records[2].Level);
    }

    private static IEnumerable<(string Line, string Driver)> SampleXidLinesWithDriver() =>
        CompatibilityMatrix.RealLines()
            .Where(l => l.Line.StartsWith("NVRM: Xid", StringComparison.Ordinal))
            .Select(l => (l.Line, Match: DriverInSource().Match(l.Source)))
            .Where(l => l.Match.Success)
            .Select(l => (l.Line, l.Match.Groups[1].Value));

    private static bool IsLegacy(string driver) => int.Parse(driver[..3], System.Globalization.CultureInfo.InvariantCulture) < 500;

    /// <summary><c>driver 535.x</c>, <c>(driver 590.48.01)</c>, <c>(RTX 5080, 595.71.05)</c>, <c>(535.183.01)</c>: the branch, <c>.x</c> dropped.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?:driver |[(,] ?)(\d{3}(?:\.\d+)*)(?:\.x)?(?=[,) ]|$)", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DriverInSource();
}
