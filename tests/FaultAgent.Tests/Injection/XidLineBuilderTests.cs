using FaultAgent.Gpus;
using FaultAgent.Injection;
using FaultAgent.Xids;

namespace FaultAgent.Tests.Injection;

public sealed class XidLineBuilderTests
{
    private static readonly XidLineBuilder Builder = new(XidCatalog.Default);

    private static readonly GpuInfo Gpu = new(0, "0000:3b:00.0", "0000:3b:00", "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b", "NVIDIA H100 80GB HBM3", [], "x");

    public static TheoryData<int> AllXids => new(XidCatalog.Default.Xids.Select(x => x.Xid));

    public static TheoryData<int> AllSxids => new(XidCatalog.Default.Sxids.Select(x => x.Sxid));

    [Fact]
    public void BuildXid_Xid79_MonitorLineAndRecordTextAsTheDriverPrints()
    {
        var lines = Builder.BuildXid(79, Gpu);

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.", lines.MonitorLine);
        Assert.Equal("GPU has fallen off the bus.", lines.Message);
        var record = Assert.Single(lines.Records);
        Assert.Equal(3, record.Level);
        Assert.Equal("NVRM: NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.", record.Text);
    }

    [Fact]
    public void BuildXid_PidAndName_PrintedUnquoted()
    {
        var lines = Builder.BuildXid(13, Gpu, pid: 1234, processName: "python3");

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 13, pid=1234, name=python3, Graphics SM Warp Exception on (GPC 7, TPC 7, SM 0): Illegal Instruction Parameter", lines.MonitorLine);
        Assert.Equal(4, lines.MainRecord.Level);
    }

    [Fact]
    public void BuildXid_CompanionLinesForXid79_GpuAtBeforeFallenOffAfter()
    {
        var lines = Builder.BuildXid(79, Gpu, companionLines: true);

        Assert.Equal(
            [
                "NVRM: NVRM: GPU at PCI:0000:3b:00: GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b",
                "NVRM: NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
                "NVRM: NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.",
            ],
            lines.Records.Select(r => r.Text));
        Assert.Equal(1, lines.MainRecordIndex);
        var map = ConsumerPatterns.NvSentinelGpuMap.Match(JournaldIdentifier.Parse(lines.Records[0].Text).Message);
        Assert.True(map.Success);
        Assert.Equal("0000:3b:00", map.Groups[1].Value);
        Assert.Equal(Gpu.Uuid, map.Groups[2].Value);
    }

    [Fact]
    public void BuildXid_CompanionLinesWithoutUuid_NoGpuAtLine()
    {
        var lines = Builder.BuildXid(48, Gpu with { Uuid = null }, companionLines: true);

        Assert.Single(lines.Records);
    }

    [Theory]
    [MemberData(nameof(AllXids))]
    public void BuildXid_EveryCatalogEntry_MatchedByNvSentinelGpudAndKonduktor(int xid)
    {
        var lines = Builder.BuildXid(xid, Gpu with { XidPci = "0001:00:00", PciBusId = "0001:00:00.0" });
        var record = lines.MainRecord.Text;
        var (identifier, journalMessage) = JournaldIdentifier.Parse(record);

        // journald: SYSLOG_IDENTIFIER=NVRM, MESSAGE is the driver's line; NVSentinel reads MESSAGE.
        Assert.Equal("NVRM", identifier);
        Assert.Equal(lines.MonitorLine, journalMessage);
        Assert.StartsWith("NVRM: Xid (PCI:", journalMessage, StringComparison.Ordinal);
        var nvsentinel = ConsumerPatterns.NvSentinelXid.Match(journalMessage);
        Assert.True(nvsentinel.Success, journalMessage);
        Assert.Equal("0001:00:00", nvsentinel.Groups[1].Value);
        Assert.Equal(xid.ToString(System.Globalization.CultureInfo.InvariantCulture), nvsentinel.Groups[2].Value);

        // gpud (/dev/kmsg) and Konduktor (dmesg) read the record text as written.
        foreach (var text in new[] { record, journalMessage })
        {
            Assert.Equal(xid.ToString(System.Globalization.CultureInfo.InvariantCulture), ConsumerPatterns.GpudXid.Match(text).Groups[1].Value);
            var combined = ConsumerPatterns.GpudXidCombined.Match(text);
            Assert.Equal("PCI:0001:00:00", combined.Groups[1].Value);
            Assert.Equal(xid.ToString(System.Globalization.CultureInfo.InvariantCulture), combined.Groups[2].Value);
            Assert.Equal("PCI:0001:00:00", ConsumerPatterns.GpudXidDevice.Match(text).Groups[1].Value);
            Assert.Matches(ConsumerPatterns.KonduktorDmesgXid, text);
            Assert.Equal(xid.ToString(System.Globalization.CultureInfo.InvariantCulture), ConsumerPatterns.KonduktorXidCode.Match(text).Groups[1].Value);
        }

        Assert.True(KernelLogText.RecordBytes(lines.MainRecord.Level, record) <= KernelLogText.MaxRecordBytes);
    }

    [Theory]
    [InlineData(144)]
    [InlineData(145)]
    [InlineData(146)]
    [InlineData(147)]
    [InlineData(148)]
    [InlineData(149)]
    [InlineData(150)]
    public void BuildXid_NvLink5Xids_MatchNvSentinelNvl5Pattern(int xid)
    {
        var lines = Builder.BuildXid(xid, Gpu);

        var match = ConsumerPatterns.NvSentinelNvl5.Match(lines.MonitorLine);
        Assert.True(match.Success, lines.MonitorLine);
        Assert.Equal("0000:3b:00", match.Groups[1].Value);
        Assert.Equal(xid.ToString(System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value);
    }

    [Theory]
    [MemberData(nameof(AllSxids))]
    public void BuildSxid_EveryCatalogEntry_MatchedByGpudAndKonduktorWithFullBdf(int sxid)
    {
        var lines = Builder.BuildSxid(sxid, 3, "0000:4E:00.0", 32);
        var entry = XidCatalog.Default.FindSxid(sxid)!;

        Assert.Equal($"nvidia-nvswitch3: SXid (PCI:0000:4e:00.0): {sxid}, {(entry.Fatal ? "Fatal" : "Non-fatal")}, Link 32 {entry.DefaultMessage}", lines.MonitorLine);
        var (identifier, message) = JournaldIdentifier.Parse(lines.MainRecord.Text);
        Assert.Equal("nvidia-nvswitch3", identifier);
        Assert.Equal(lines.MonitorLine, message);
        Assert.Equal(entry.Fatal ? 3 : 4, lines.MainRecord.Level);
        foreach (var text in new[] { lines.MainRecord.Text, message })
        {
            Assert.Matches(ConsumerPatterns.KonduktorDmesgSxid, text);
            Assert.Equal(sxid.ToString(System.Globalization.CultureInfo.InvariantCulture), ConsumerPatterns.GpudSxid.Match(text).Groups[1].Value);
            Assert.Equal("PCI:0000:4e:00.0", ConsumerPatterns.GpudSxidDevice.Match(text).Groups[1].Value);
            Assert.Equal(sxid.ToString(System.Globalization.CultureInfo.InvariantCulture), ConsumerPatterns.KonduktorSxidCode.Match(text).Groups[1].Value);
        }
    }

    [Theory]
    [InlineData("line\nbreak", "newline (0x0A) at position 4")]
    [InlineData("carriage\rreturn", "carriage return (0x0D) at position 8")]
    [InlineData("esc \u001b[31m red", "ESC (0x1B) at position 4")]
    [InlineData("nul\0byte", "NUL (0x00) at position 3")]
    [InlineData("back\\slash", "backslash at position 4")]
    [InlineData("caf\u00e9", "U+00E9 at position 3")]
    [InlineData("tab\there", "tab (0x09) at position 3")]
    [InlineData("del\u007f", "DEL (0x7F) at position 3")]
    public void BuildXid_HostileMessage_RejectedNamingFieldAndPosition(string message, string expected)
    {
        var error = Assert.Throws<InjectionValidationException>(() => Builder.BuildXid(79, Gpu, message));

        Assert.Equal("message", error.Field);
        Assert.Contains(expected, error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("py\nthon")]
    [InlineData("py,thon")]
    [InlineData("py thon")]
    [InlineData("\u001b")]
    public void BuildXid_HostileProcessName_Rejected(string name)
    {
        var error = Assert.Throws<InjectionValidationException>(() => Builder.BuildXid(79, Gpu, pid: 1, processName: name));

        Assert.Equal("process_name", error.Field);
    }

    [Fact]
    public void BuildXid_TooLongMessage_RejectedWithSize()
    {
        var error = Assert.Throws<InjectionValidationException>(() => Builder.BuildXid(79, Gpu, new string('x', 1000)));

        Assert.Equal("message", error.Field);
        Assert.Contains("976", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildXid_LongestAcceptedMessage_FitsExactly()
    {
        var prefix = Builder.BuildXid(79, Gpu, "x").MainRecord;
        var room = KernelLogText.MaxRecordBytes - KernelLogText.RecordBytes(prefix.Level, prefix.Text) + 1;

        var lines = Builder.BuildXid(79, Gpu, new string('x', room));

        Assert.Equal(KernelLogText.MaxRecordBytes, KernelLogText.RecordBytes(lines.MainRecord.Level, lines.MainRecord.Text));
        Assert.Throws<InjectionValidationException>(() => Builder.BuildXid(79, Gpu, new string('x', room + 1)));
    }

    [Fact]
    public void BuildXid_UnknownXidWithoutMessage_RejectedWithMessageAccepted()
    {
        var error = Assert.Throws<InjectionValidationException>(() => Builder.BuildXid(999, Gpu));
        Assert.Equal("message", error.Field);

        var lines = Builder.BuildXid(999, Gpu, "Vendor test event");
        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 999, pid='<unknown>', name=<unknown>, Vendor test event", lines.MonitorLine);
        Assert.Equal(4, lines.MainRecord.Level);
    }

    [Theory]
    [InlineData(0, "xid")]
    [InlineData(-5, "xid")]
    public void BuildXid_InvalidNumber_Rejected(int xid, string field)
    {
        Assert.Equal(field, Assert.Throws<InjectionValidationException>(() => Builder.BuildXid(xid, Gpu)).Field);
    }

    [Fact]
    public void BuildXid_NegativePid_Rejected()
    {
        Assert.Equal("pid", Assert.Throws<InjectionValidationException>(() => Builder.BuildXid(79, Gpu, pid: -1)).Field);
    }

    [Theory]
    [InlineData(-1, "0000:4e:00.0", 1, "nvswitch")]
    [InlineData(0, "0000:4e:00", 1, "pci_bus_id")]
    [InlineData(0, "junk", 1, "pci_bus_id")]
    [InlineData(0, "0000:4e:00.0", -1, "link")]
    public void BuildSxid_InvalidArguments_RejectedNamingField(int instance, string pci, int link, string field)
    {
        Assert.Equal(field, Assert.Throws<InjectionValidationException>(() => Builder.BuildSxid(12028, instance, pci, link)).Field);
    }

    [Fact]
    public void BuildSxid_UnknownSxid_NeedsMessage()
    {
        Assert.Equal("message", Assert.Throws<InjectionValidationException>(() => Builder.BuildSxid(99999, 0, "0000:4e:00.0", 1)).Field);
        Assert.Equal("nvidia-nvswitch0: SXid (PCI:0000:4e:00.0): 99999, Non-fatal, Link 1 custom", Builder.BuildSxid(99999, 0, "0000:4e:00.0", 1, "custom").MonitorLine);
    }
}
