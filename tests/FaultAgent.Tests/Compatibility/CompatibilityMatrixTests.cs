using FaultAgent.Xids;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// The compatibility matrix: every form the agent writes and the samples' real driver lines through the current
/// published patterns of NVSentinel, gpud, Konduktor and azurehpc-health-checks (<see cref="MonitorPatterns"/>).
/// </summary>
public sealed class CompatibilityMatrixTests
{
    private const string Start = "<!-- compatibility-matrix:start -->";
    private const string End = "<!-- compatibility-matrix:end -->";

    [Fact]
    public void ReadmeTable_MatchesWhatTheMonitorsDo()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no {Start} ... {End} section");

        var inReadme = readme[(start + Start.Length)..end].Trim();
        var computed = CompatibilityMatrix.ToMarkdown().Trim();

        Assert.True(computed == inReadme, "The README's compatibility table is not what the monitors do; the table as computed:\n" + computed);
    }

    [Theory]
    [InlineData("535.161.08", false)]
    [InlineData("570.195.03", false)]
    [InlineData("570.195.03", true)]
    public void EveryCatalogXid_NoMig_ReadByNvSentinelAndKonduktorWithCodeAndPci(string driver, bool process)
    {
        Assert.All(CompatibilityMatrix.XidLines(driver, process: process), l =>
        {
            Assert.Equal($"Xid {l.Xid} @{CompatibilityMatrix.Pci}", MonitorReadings.NvSentinel(l.Record.JournalMessage));
            Assert.Equal($"node flagged, Xid {l.Xid}", MonitorReadings.Konduktor(l.Record.DmesgLines));
        });
    }

    [Fact]
    public void EveryCatalogXid_Gpud_ReadUnlessMissingFromItsTable()
    {
        Assert.All(CompatibilityMatrix.XidLines("570.195.03"), l =>
            Assert.Equal(
                MonitorPatterns.GpudKnowsXid(l.Xid) ? $"Xid {l.Xid} @{CompatibilityMatrix.Pci}" : $"Xid {l.Xid} not in its table",
                MonitorReadings.Gpud(l.Record.KmsgText)));
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(1, 0)]
    public void MigForms_MissedByNvSentinelButItsNvl5ParserAndByGpud_ReadByKonduktor(int gpuInstance, int? computeInstance)
    {
        Assert.All(CompatibilityMatrix.XidLines("570.195.03", gpuInstance, computeInstance), l =>
        {
            // NVSentinel's XIDPattern stops at the space before GPU-I; its NVL5 parser (\(PCI:([^)]+)\)) takes the
            // NVLink5 Xids 144-150 with the MIG attribution inside the PCI value it reports.
            var attribution = computeInstance is null ? " GPU-I:01" : " GPU-I:01 GPU-CI:00";
            Assert.Equal(
                l.Xid is >= 144 and <= 150 ? $"Xid {l.Xid} @{CompatibilityMatrix.Pci}{attribution}" : MonitorReadings.Nothing,
                MonitorReadings.NvSentinel(l.Record.JournalMessage));
            Assert.False(CompatibilityMatrix.Reads("gpud", l.Record, l.Xid));
            Assert.Equal($"node flagged, Xid {l.Xid}", MonitorReadings.Konduktor(l.Record.DmesgLines));
        });
    }

    [Fact]
    public void ProbeRecord_NvSentinelGpuFallenFiresOnTheJournalMessage()
    {
        var probe = CompatibilityMatrix.Xid79Records("570.195.03")[^1];

        var match = MonitorPatterns.NvSentinelGpuFallen.Match(probe.JournalMessage);

        Assert.True(match.Success, probe.JournalMessage);
        Assert.Equal("0000:3b:00.0", match.Groups[1].Value);
        Assert.Equal("fallen off 0000:3b:00.0", MonitorReadings.NvSentinel(probe.JournalMessage));
        Assert.Equal("Xid 79 @0000:3b:00 (fallen off)", MonitorReadings.Gpud(probe.KmsgText));
    }

    [Fact]
    public void Preamble_NvSentinelMapsThePciToTheUuid()
    {
        var preamble = CompatibilityMatrix.Xid79Records("570.195.03")[0];

        var map = MonitorPatterns.NvSentinelGpuMap.Match(preamble.JournalMessage);

        Assert.Equal(CompatibilityMatrix.Pci, map.Groups[1].Value);
        Assert.Equal("GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b", map.Groups[2].Value);
    }

    [Fact]
    public void EveryCatalogSxid_ReadByGpudAndKonduktor_NvSentinelAllButCorrectable()
    {
        Assert.All(CompatibilityMatrix.SxidRecords(), s =>
        {
            var line = s.Records[0];
            Assert.Equal($"SXid {s.Entry.Sxid}", MonitorReadings.Gpud(line.KmsgText));
            Assert.Equal($"node flagged, SXid {s.Entry.Sxid}", MonitorReadings.Konduktor(line.DmesgLines));
            Assert.Equal(
                s.Entry.ErrorClass == "Correctable" ? MonitorReadings.Nothing : $"SXid {s.Entry.Sxid} {s.Entry.ErrorClass}",
                MonitorReadings.NvSentinel(line.JournalMessage));
        });
    }

    [Fact]
    public void CatalogAndCorpus_CoverEveryXidAndSxid()
    {
        Assert.Equal(XidCatalog.Default.Xids.Count, CompatibilityMatrix.XidLines("535.161.08").Count());
        Assert.Equal(XidCatalog.Default.Sxids.Count, CompatibilityMatrix.SxidRecords().Count());
        Assert.True(CompatibilityMatrix.RealLines().Count >= 40);
    }

    internal static string RepositoryRoot()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "FaultInjection.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        return root ?? throw new InvalidOperationException("FaultInjection.sln not found above " + AppContext.BaseDirectory);
    }
}
