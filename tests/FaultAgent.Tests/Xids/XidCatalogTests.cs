using FaultAgent.Xids;

namespace FaultAgent.Tests.Xids;

public sealed class XidCatalogTests
{
    private static readonly XidCatalog Catalog = XidCatalog.Default;

    public static TheoryData<int> RequiredXids => new([8, 13, 31, 32, 38, 42, 43, 45, 48, 54, 56, 57, 58, 61, 62, 63, 64, 68, 69, 74, 79, 92, 94, 95,
        119, 120, 121, 140, 143, 144, 145, 146, 147, 148, 149, 150, 154]);

    [Theory]
    [MemberData(nameof(RequiredXids))]
    public void FindXid_RequiredXid_HasNameMessageActionAndLevel(int xid)
    {
        var entry = Catalog.FindXid(xid);

        Assert.NotNull(entry);
        Assert.Equal(xid, entry.Xid);
        Assert.False(string.IsNullOrWhiteSpace(entry.Name));
        Assert.False(string.IsNullOrWhiteSpace(entry.DefaultMessage));
        Assert.False(string.IsNullOrWhiteSpace(entry.RecommendedAction));
        Assert.InRange(entry.Level, 3, 4);
    }

    [Fact]
    public void Xids_EveryNamedCatalogEntry_Present()
    {
        // NVIDIA's catalog has 172 numbers; 17 are unused or reserved in both the r555 listing and the catalog sheet.
        // 173-176 are named from the driver's nverror.h until the catalog lists them.
        Assert.Equal(159, Catalog.Xids.Count);
        Assert.Equal(Catalog.Xids.Count, Catalog.Xids.Select(x => x.Xid).Distinct().Count());
        Assert.Null(Catalog.FindXid(14));
        Assert.Null(Catalog.FindXid(999));
    }

    [Theory]
    [InlineData(79, "GPU has fallen off the bus", "GPU has fallen off the bus.", "RESTART_BM", XidSeverity.Critical, 4)]
    [InlineData(13, "Graphics Engine Exception", "Graphics SM Warp Exception on (GPC 7, TPC 7, SM 0): Illegal Instruction Parameter", "RESTART_APP", XidSeverity.Warning, 4)]
    [InlineData(48, "Double Bit ECC Error", "An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at physAddr 0x7fffa8860 partition 7, subpartition 1.", "COMPONENT_RESET", XidSeverity.Critical, 4)]
    [InlineData(63, "GPU memory remapping event", "Row Remapper: New row (0x0000000e9b9107e0) marked for remapping, reset gpu to activate.", "NONE", XidSeverity.Info, 4)]
    [InlineData(154, "GPU Recovery Action Changed", "GPU recovery action changed from 0x0 (None) to 0x1 (GPU Reset Required)", "NONE", XidSeverity.Info, 4)]
    [InlineData(95, "Uncontained memory error", "Uncontained: FBHUB. RST: Yes, D-RST: No", "COMPONENT_RESET", XidSeverity.Critical, 4)]
    public void FindXid_RealLines_MatchDriverText(int xid, string name, string message, string action, XidSeverity severity, int level)
    {
        var entry = Catalog.FindXid(xid)!;

        Assert.Equal(name, entry.Name);
        Assert.Equal(message, entry.DefaultMessage);
        Assert.Equal(action, entry.RecommendedAction);
        Assert.Equal(severity, entry.Severity);
        Assert.Equal(level, entry.Level);
    }

    // FATAL/NONFATAL as NVSentinel's syslog-health-monitor maps them (distros/kubernetes/nvsentinel/files/xiderrorsmapping.csv).
    [Theory]
    [InlineData(8, false)]
    [InlineData(13, false)]
    [InlineData(31, false)]
    [InlineData(43, false)]
    [InlineData(45, false)]
    [InlineData(46, true)]
    [InlineData(48, true)]
    [InlineData(54, true)]
    [InlineData(62, true)]
    [InlineData(63, false)]
    [InlineData(64, true)]
    [InlineData(74, true)]
    [InlineData(78, true)]
    [InlineData(79, true)]
    [InlineData(92, false)]
    [InlineData(94, false)]
    [InlineData(95, true)]
    [InlineData(119, true)]
    [InlineData(121, false)]
    [InlineData(140, true)]
    [InlineData(149, true)]
    [InlineData(151, true)]
    [InlineData(154, false)]
    [InlineData(159, false)]
    [InlineData(160, true)]
    [InlineData(162, true)]
    public void FindXid_NvSentinelFatality_CriticalAtTheDriversLevel(int xid, bool fatal)
    {
        var entry = Catalog.FindXid(xid)!;

        Assert.Equal(fatal, entry.Severity == XidSeverity.Critical);
        Assert.Equal(4, entry.Level); // the driver prints every Xid at the default level, fatal or not
    }

    [Fact]
    public void Xids_AllMessages_PrintableAsciiWithoutBackslash()
    {
        Assert.All(Catalog.Xids, e => Assert.Matches("^[ -\\[\\]-~]+$", e.DefaultMessage));
    }

    [Fact]
    public void Sxids_FabricManagerCatalog_Loaded()
    {
        Assert.Equal(92, Catalog.Sxids.Count);
        Assert.True(Catalog.FindSxid(10003)!.Fatal);
        Assert.False(Catalog.FindSxid(11012)!.Fatal);
        Assert.Equal("Single bit ECC errors", Catalog.FindSxid(11012)!.Name);
        Assert.False(Catalog.FindSxid(22013)!.Fatal);
        Assert.Equal("egress nonposted PRIV error", Catalog.FindSxid(12028)!.Name);
        Assert.Null(Catalog.FindSxid(1));

        // Fatality and resolution as NVSentinel's nvswitch-health-monitor maps them.
        Assert.False(Catalog.FindSxid(10001)!.Fatal);
        Assert.True(Catalog.FindSxid(20009)!.Fatal);
        Assert.Equal("RESET_FABRIC", Catalog.FindSxid(12028)!.RecommendedAction);
        Assert.Equal("COMPONENT_RESET", Catalog.FindSxid(20034)!.RecommendedAction);
        Assert.Equal("NONE", Catalog.FindSxid(22013)!.RecommendedAction);
    }
}
