using FaultAgent.Drivers;
using FaultAgent.Faults;
using FaultAgent.Gpus;
using FaultAgent.Injection;
using FaultAgent.Xids;

namespace FaultAgent.Tests.Injection;

public sealed class XidLineBuilderTests
{
    private static readonly XidLineBuilder Builder = new(XidCatalog.Default);

    private static readonly GpuInfo Gpu = new(0, "0000:3b:00.0", "0000:3b:00", "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b", "NVIDIA H100 80GB HBM3", [], "x");

    private static readonly GpuBoardInfo Board = new("1653723052734", "10de:2330", null);

    public static TheoryData<string> Branches => new("535.161.08", "570.195.03", "590.48.01");

    private static DriverProfile Driver(string version) =>
        new(NvidiaDriverVersion.TryParse(version, out var parsed) ? parsed : throw new ArgumentException(version), DriverVersionSource.Request);

    private static XidLineRequest Xid(int xid, string driver = "570.195.03") => new() { Xid = xid, Gpu = Gpu, Driver = Driver(driver) };

    [Fact]
    public void BuildXid_Xid79OnR570_ProcessFieldsLeftOutAtLevel4()
    {
        var lines = Builder.BuildXid(Xid(79) with { OmitCompanionRecords = true });

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.", lines.MonitorLine);
        var record = Assert.Single(lines.Records);
        Assert.Equal(4, record.Level);
        Assert.Equal("NVRM: NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.", record.Text);
    }

    [Fact]
    public void BuildXid_Xid79OnR565_UnknownProcessForm()
    {
        var lines = Builder.BuildXid(Xid(79, "535.161.08") with { OmitCompanionRecords = true });

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.", lines.MonitorLine);
    }

    [Fact]
    public void BuildXid_NoDriverVersion_NewestForm()
    {
        var lines = Builder.BuildXid(new XidLineRequest { Xid = 79, Gpu = Gpu, OmitCompanionRecords = true });

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.", lines.MonitorLine);
        Assert.Equal(XidLineForm.R575, DriverProfile.Newest.Form);
    }

    [Theory]
    [MemberData(nameof(Branches))]
    public void BuildXid_KnownProcess_PidAndNameOnEveryBranch(string driver)
    {
        var lines = Builder.BuildXid(Xid(43, driver) with { Pid = 2815167, ProcessName = "pt_main_thread" });

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 43, pid=2815167, name=pt_main_thread, Ch 00000008", lines.MonitorLine);
    }

    [Fact]
    public void BuildXid_MigGpuInstance_GpuIForm()
    {
        var lines = Builder.BuildXid(Xid(43) with { GpuInstance = 1 });

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00 GPU-I:01): 43, Ch 00000008", lines.MonitorLine);
    }

    [Fact]
    public void BuildXid_MigGpuAndComputeInstance_GpuCiForm()
    {
        var lines = Builder.BuildXid(Xid(43, "535.161.08") with { GpuInstance = 1, ComputeInstance = 0 });

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00 GPU-I:01 GPU-CI:00): 43, pid='<unknown>', name=<unknown>, Ch 00000008", lines.MonitorLine);
    }

    [Theory]
    [InlineData(null, 0, "compute_instance")]
    [InlineData(15, null, "gpu_instance")]
    [InlineData(1, 8, "compute_instance")]
    public void BuildXid_BadMigInstance_RejectedNamingField(int? gi, int? ci, string field)
    {
        var error = Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(43) with { GpuInstance = gi, ComputeInstance = ci }));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void BuildXid_Xid45CausedByPreviousXidOn590_RootCauseAfterTheBody()
    {
        var lines = Builder.BuildXid(Xid(45, "590.48.01") with { Pid = 1818990, ProcessName = "python3", Channel = 1, PreviousXid = 149 });

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 45, pid=1818990, name=python3, Ch 00000001 caused by previous Xid 149", lines.MonitorLine);
    }

    /// <summary>
    /// The 570 branch prints the root cause from 570.123.01 (open-gpu-kernel-modules' krcReportXid_IMPL: 570.86.16 has no
    /// rootCauseXidStr, 570.123.01 and every later 570 release print " caused by previous Xid %d").
    /// </summary>
    [Theory]
    [InlineData("570.123.01")]
    [InlineData("570.195.03")]
    public void BuildXid_Xid45CausedByPreviousXidOn570From123_RootCauseAfterTheBody(string driver)
    {
        var lines = Builder.BuildXid(Xid(45, driver) with { Channel = 1, PreviousXid = 149 });

        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 45, Ch 00000001 caused by previous Xid 149", lines.MonitorLine);
    }

    [Theory]
    [InlineData("570.86.16", 45)]
    [InlineData("535.161.08", 45)]
    [InlineData("590.48.01", 43)]
    public void BuildXid_PreviousXidWhereTheDriverPrintsNone_Rejected(string driver, int xid)
    {
        var error = Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(xid, driver) with { PreviousXid = 149 }));

        Assert.Equal("previous_xid", error.Field);
    }

    [Fact]
    public void BuildXid_Channel_FillsTheCatalogBodysCh()
    {
        var lines = Builder.BuildXid(Xid(31) with { Channel = 0x5c });

        Assert.StartsWith("NVRM: Xid (PCI:0000:3b:00): 31, Ch 0000005c, intr 00000000. MMU Fault:", lines.MonitorLine, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildXid_ChannelWhereNoneIsPrinted_Rejected()
    {
        Assert.Equal("channel", Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(79) with { Channel = 1 })).Field);
        Assert.Equal("channel", Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(43) with { Channel = 1, Message = "Ch 00000002" })).Field);
    }

    [Fact]
    public void BuildXid_BodyAtTheDriverLimit_AcceptedOneMoreRefusedNamingTheLimit()
    {
        Assert.Equal(511, Builder.BuildXid(Xid(13) with { Message = new string('x', 511) }).Message.Length);

        var error = Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(13) with { Message = new string('x', 512) }));

        Assert.Equal("message", error.Field);
        Assert.Contains("511", error.Description, StringComparison.Ordinal);
        Assert.Contains("MAX_ERROR_STRING", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildXid_ProcessNameAtTheCommLimit_AcceptedOneMoreRefusedNamingTheLimit()
    {
        Assert.Contains("name=distprovers-gpu,", Builder.BuildXid(Xid(45) with { Pid = 1496200, ProcessName = "distprovers-gpu" }).MonitorLine, StringComparison.Ordinal);

        var error = Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(45) with { Pid = 1, ProcessName = "distprovers-gpu2" }));

        Assert.Equal("process_name", error.Field);
        Assert.Contains("15", error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4_194_305L, "python3", "pid")]
    [InlineData(-1L, "python3", "pid")]
    [InlineData(1L, "", "process_name")]
    [InlineData(0L, "python3", "pid")]
    [InlineData(1L, "py\nthon", "process_name")]
    [InlineData(1L, "\u001b", "process_name")]
    public void BuildXid_BadProcess_RejectedNamingField(long pid, string name, string field)
    {
        Assert.Equal(field, Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(43) with { Pid = pid, ProcessName = name })).Field);
    }

    [Fact]
    public void BuildXid_CommWithSpaceAndTheLargestPid_PrintedAsTheKernelHasThem()
    {
        var lines = Builder.BuildXid(Xid(43) with { Pid = 4_194_304, ProcessName = "Web Content" });

        Assert.Contains("pid=4194304, name=Web Content, Ch 00000008", lines.MonitorLine, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildXid_PreambleWithSerial_GpuAtAndBoardSerialBeforeTheXid()
    {
        var lines = Builder.BuildXid(Xid(13) with { Preamble = true, Board = Board });

        Assert.Equal(
            [
                "NVRM: NVRM: GPU at PCI:0000:3b:00: GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b",
                "NVRM: NVRM: GPU Board Serial Number: 1653723052734",
                "NVRM: " + lines.MonitorLine,
            ],
            lines.Records.Select(r => r.Text));
        Assert.Equal(2, lines.MainRecordIndex);
        Assert.All(lines.Records, r => Assert.Equal(4, r.Level));
        Assert.Empty(lines.Notes);
    }

    [Fact]
    public void BuildXid_Xid79WithPreambleAndSerial_FiveRecordsInTheDriversOrder()
    {
        var lines = Builder.BuildXid(Xid(79) with { Preamble = true, Board = Board });

        Assert.Equal(
            [
                "NVRM: NVRM: GPU at PCI:0000:3b:00: GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b",
                "NVRM: NVRM: GPU Board Serial Number: 1653723052734",
                "NVRM: NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.",
                "NVRM: NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.",
                "NVRM: NVRM: GPU 0000:3b:00.0: GPU serial number is 1653723052734.",
            ],
            lines.Records.Select(r => r.Text));
    }

    [Fact]
    public void BuildXid_Xid79SerialUnknown_SerialLinesLeftOutWithOneNote()
    {
        var lines = Builder.BuildXid(Xid(79) with { Preamble = true, Board = GpuBoardInfo.Unknown("nvidia-smi could not be run: not found") });

        Assert.Equal(
            [
                "NVRM: NVRM: GPU at PCI:0000:3b:00: GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b",
                "NVRM: NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.",
                "NVRM: NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.",
            ],
            lines.Records.Select(r => r.Text));
        var note = Assert.Single(lines.Notes);
        Assert.Contains("never invented", note, StringComparison.Ordinal);
        Assert.Contains("not found", note, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildXid_FallenOffBusProbe_OneMultiLineRecordAsTheProbePrintsIt()
    {
        var lines = Builder.BuildXid(Xid(79) with { Board = Board, FallenOffBusProbe = true });

        var probe = lines.Records[^1];
        Assert.Equal(4, probe.Level);
        Assert.Equal(
            "NVRM: NVRM: The NVIDIA GPU 0000:3b:00.0\nNVRM: (PCI ID: 10de:2330) installed in this system has\nNVRM: fallen off the bus and is not responding to commands.",
            probe.Text);
        Assert.Equal(
            "NVRM: The NVIDIA GPU 0000:3b:00.0\\x0aNVRM: (PCI ID: 10de:2330) installed in this system has\\x0aNVRM: fallen off the bus and is not responding to commands.",
            KernelLogText.KmsgEscaped(probe.Text)[6..]);
    }

    [Fact]
    public void BuildXid_ProbeWithoutPciIdOrOnAnotherXid_Rejected()
    {
        Assert.Equal("fallen_off_bus_probe", Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(79) with { FallenOffBusProbe = true, Board = GpuBoardInfo.Unknown("no nvidia-smi") })).Field);
        Assert.Equal("fallen_off_bus_probe", Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(48) with { FallenOffBusProbe = true, Board = Board })).Field);
    }

    [Fact]
    public void BuildXid_OmitCompanionRecords_TheXidLineAlone()
    {
        var lines = Builder.BuildXid(Xid(79) with { Preamble = true, Board = Board, OmitCompanionRecords = true });

        Assert.Equal("NVRM: NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.", Assert.Single(lines.Records).Text);
    }

    [Fact]
    public void BuildXid_PreambleWithoutUuid_GpuAtLineLeftOutWithANote()
    {
        var lines = Builder.BuildXid(Xid(48) with { Gpu = Gpu with { Uuid = null }, Preamble = true, Board = Board });

        Assert.Equal(["NVRM: NVRM: GPU Board Serial Number: 1653723052734", "NVRM: " + lines.MonitorLine], lines.Records.Select(r => r.Text));
        Assert.Contains("UUID is unknown", Assert.Single(lines.Notes), StringComparison.Ordinal);
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
        var error = Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(79) with { Message = message }));

        Assert.Equal("message", error.Field);
        Assert.Contains(expected, error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildXid_UnknownXidWithoutMessage_RejectedWithMessageAccepted()
    {
        Assert.Equal("message", Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(999))).Field);

        var lines = Builder.BuildXid(Xid(999, "535.161.08") with { Message = "Vendor test event" });
        Assert.Equal("NVRM: Xid (PCI:0000:3b:00): 999, pid='<unknown>', name=<unknown>, Vendor test event", lines.MonitorLine);
        Assert.Equal(4, lines.MainRecord.Level);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1000)]
    public void BuildXid_InvalidNumber_Rejected(int xid)
    {
        Assert.Equal("xid", Assert.Throws<InvalidRequestException>(() => Builder.BuildXid(Xid(xid))).Field);
    }

    [Fact]
    public void BuildSxid_FatalFromCatalog_ZeroPaddedLinkThenSeverityAndDataAtLevel3()
    {
        var lines = Builder.BuildSxid(new SxidLineRequest { Sxid = 20034, NvSwitch = 1, PciBusId = "0000:06:00.0", Link = 8 });

        Assert.Equal(
            [
                "nvidia-nvswitch1: nvidia-nvswitch1: SXid (PCI:0000:06:00.0): 20034, Fatal, Link 08 " + XidCatalog.Default.FindSxid(20034)!.DefaultMessage,
                "nvidia-nvswitch1: nvidia-nvswitch1: SXid (PCI:0000:06:00.0): 20034, Severity 1 Engine instance 08 Sub-engine instance 00",
                "nvidia-nvswitch1: nvidia-nvswitch1: SXid (PCI:0000:06:00.0): 20034, Data {0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000}",
            ],
            lines.Records.Select(r => r.Text));
        Assert.All(lines.Records, r => Assert.Equal(3, r.Level));
    }

    [Fact]
    public void BuildSxid_CorrectableFromCatalog_CorrectableClassSeverity0()
    {
        var lines = Builder.BuildSxid(new SxidLineRequest { Sxid = 11012, NvSwitch = 0, PciBusId = "0000:05:00.0", Link = 3, First = true });

        Assert.Equal("nvidia-nvswitch0: SXid (PCI:0000:05:00.0): 11012, Correctable, Link 03 Single bit ECC errors (First)", lines.MonitorLine);
        Assert.EndsWith("Severity 0 Engine instance 03 Sub-engine instance 00", lines.Records[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildSxid_HighDataWords_SecondDataLineOfEight()
    {
        uint[] data = [0x1c0, 0xbd5c8a, 0x500, 0x64, 0, 0x40008000, 0x5a001100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];
        var lines = Builder.BuildSxid(new SxidLineRequest { Sxid = 12028, NvSwitch = 1, PciBusId = "0000:84:00.0", Link = 32, Data = data });

        Assert.Equal(4, lines.Records.Count);
        Assert.EndsWith("12028, Data {0x000001c0, 0x00bd5c8a, 0x00000500, 0x00000064, 0x00000000, 0x40008000, 0x5a001100, 0x00000000, 0x00000000}", lines.Records[2].Text, StringComparison.Ordinal);
        Assert.EndsWith("12028, Data {0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000007}", lines.Records[3].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, "0000:4e:00.0", 1, "nvswitch")]
    [InlineData(0, "0000:4e:00", 1, "pci_bus_id")]
    [InlineData(0, "junk", 1, "pci_bus_id")]
    [InlineData(0, "0000:4e:00.0", -1, "link")]
    [InlineData(0, "0000:4e:00.0", 100, "link")]
    public void BuildSxid_InvalidArguments_RejectedNamingField(int instance, string pci, int link, string field)
    {
        Assert.Equal(field, Assert.Throws<InvalidRequestException>(() => Builder.BuildSxid(new SxidLineRequest { Sxid = 12028, NvSwitch = instance, PciBusId = pci, Link = link })).Field);
    }

    [Fact]
    public void BuildSxid_TooManyDataWordsOrUnknownClass_Rejected()
    {
        var request = new SxidLineRequest { Sxid = 12028, NvSwitch = 0, PciBusId = "0000:4e:00.0", Link = 1 };

        Assert.Equal("data", Assert.Throws<InvalidRequestException>(() => Builder.BuildSxid(request with { Data = new uint[18] })).Field);
        Assert.Equal("error_class", Assert.Throws<InvalidRequestException>(() => Builder.BuildSxid(request with { ErrorClass = "Warning" })).Field);
    }

    [Fact]
    public void BuildSxid_UnknownSxid_NeedsMessageThenNonFatal()
    {
        var request = new SxidLineRequest { Sxid = 99999, NvSwitch = 0, PciBusId = "0000:4e:00.0", Link = 1 };

        Assert.Equal("message", Assert.Throws<InvalidRequestException>(() => Builder.BuildSxid(request)).Field);
        Assert.Equal("nvidia-nvswitch0: SXid (PCI:0000:4e:00.0): 99999, Non-fatal, Link 01 custom", Builder.BuildSxid(request with { Message = "custom" }).MonitorLine);
    }

    [Fact]
    public void Catalog_EveryXidBody_WithinTheDriverLimitAtLevel4()
    {
        Assert.All(XidCatalog.Default.Xids, x =>
        {
            Assert.InRange(x.DefaultMessage.Length, 1, XidLineBuilder.MaxBodyLength);
            Assert.Equal(4, x.Level);
        });
        Assert.Equal(176, XidCatalog.Default.Xids[^1].Xid);
        Assert.Equal(
            ["C2C_FATAL_LINK_FAILURE", "ROBUST_CHANNEL_RESETCHANNEL_KILL_PROCESS_SILENT", "MEMORY_SUBSYSTEM_ERROR", "PCIE_CORRECTABLE_ERROR_FAULT"],
            Enumerable.Range(173, 4).Select(x => XidCatalog.Default.FindXid(x)!.Mnemonic));
        Assert.All(Enumerable.Range(173, 4), x => Assert.Equal("nverror.h", XidCatalog.Default.FindXid(x)!.NameSource));
        Assert.Equal("catalog", XidCatalog.Default.FindXid(79)!.NameSource);
        Assert.Equal(19, XidCatalog.Default.Sxids.Count(s => s.ErrorClass == "Correctable"));
    }
}
