using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FaultAgent.Drivers;
using FaultAgent.Gpus;
using FaultAgent.Injection;
using FaultAgent.Xids;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// Every form the agent writes — each catalog Xid in each driver branch's form, with and without MIG attribution and a
/// process, each catalog SXid, every companion record — and the real driver lines of the samples, read by each monitor
/// (<see cref="MonitorReadings"/>). <see cref="ToMarkdown"/> is the README's table.
/// </summary>
internal static partial class CompatibilityMatrix
{
    public const string Pci = "0000:3b:00";

    private static readonly XidLineBuilder Builder = new(XidCatalog.Default);

    private static readonly GpuInfo Gpu = new(0, "0000:3b:00.0", Pci, "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b", "NVIDIA H100 80GB HBM3", [], "x");

    private static readonly GpuBoardInfo Board = new("1653723052734", "10de:2330", null);

    /// <summary>An H100 at <c>dddd:3b:00</c> in a PCI domain of this run's own, so a test's records are found among everyone else's.</summary>
    public static GpuInfo GpuInOwnDomain(out string domain)
    {
        domain = Random.Shared.Next(0x1000, 0xffff).ToString("x4", CultureInfo.InvariantCulture);
        return new GpuInfo(0, $"{domain}:3b:00.0", $"{domain}:3b:00", "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b", "NVIDIA H100 80GB HBM3", [], "x");
    }

    public static DriverProfile Driver(string version) =>
        new(NvidiaDriverVersion.TryParse(version, out var parsed) ? parsed : throw new ArgumentException(version, nameof(version)), DriverVersionSource.Request);

    /// <summary>The Xid line of every catalog Xid in one form.</summary>
    public static IEnumerable<(int Xid, KernelRecordView Record)> XidLines(string driver, int? gpuInstance = null, int? computeInstance = null, bool process = false) =>
        XidCatalog.Default.Xids.Select(x => (x.Xid, View(Builder.BuildXid(new XidLineRequest
        {
            Xid = x.Xid,
            Gpu = Gpu,
            Driver = Driver(driver),
            GpuInstance = gpuInstance,
            ComputeInstance = computeInstance,
            Pid = process ? 2815167 : 0,
            ProcessName = process ? "pt_main_thread" : null,
            OmitCompanionRecords = true,
        }).MainRecord)));

    /// <summary>The records of one Xid 79 with its preamble, follow-ups and probe record, in order.</summary>
    public static IReadOnlyList<KernelRecordView> Xid79Records(string driver) =>
        [.. Builder.BuildXid(new XidLineRequest { Xid = 79, Gpu = Gpu, Driver = Driver(driver), Preamble = true, Board = Board, FallenOffBusProbe = true }).Records.Select(View)];

    /// <summary>Every catalog SXid's records (the line, Severity, Data) in its catalog class.</summary>
    public static IEnumerable<(SxidCatalogEntry Entry, IReadOnlyList<KernelRecordView> Records)> SxidRecords() =>
        XidCatalog.Default.Sxids.Select(s => (s, (IReadOnlyList<KernelRecordView>)[.. Builder.BuildSxid(new SxidLineRequest { Sxid = s.Sxid, NvSwitch = 1, PciBusId = "0000:06:00.0", Link = 8 }).Records.Select(View)]));

    /// <summary>The real lines of TestData/real_xid_lines.txt (copied from the shared samples), without their timestamp or syslog prefix.</summary>
    public static IReadOnlyList<(string Line, string Source)> RealLines()
    {
        var lines = new List<(string, string)>();
        foreach (var raw in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "real_xid_lines.txt")))
        {
            if (raw.Length == 0 || raw[0] == '#')
            {
                continue;
            }

            var tab = raw.IndexOf('\t', StringComparison.Ordinal);
            var line = tab < 0 ? raw : raw[..tab];
            var start = DriverText().Match(line);
            if (!CodeInLine().IsMatch(line))
            {
                continue; // not an Xid or SXid line (the GSP rate-limit notice)
            }

            lines.Add((start.Success ? line[start.Index..] : line, tab < 0 ? "" : raw[(tab + 1)..]));
        }

        return lines;
    }

    /// <summary>The code a real line carries: the number after <c>): </c>.</summary>
    public static int RealCode(string line) => int.Parse(CodeInLine().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    public static string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| what the driver prints | ").AppendJoin(" | ", MonitorReadings.Monitors).AppendLine(" |");
        text.Append("|---|").Append(string.Concat(Enumerable.Repeat("---|", MonitorReadings.Monitors.Count))).AppendLine();
        foreach (var (form, cells) in Rows())
        {
            text.Append("| ").Append(form).Append(" | ").AppendJoin(" | ", cells).AppendLine(" |");
        }

        return text.ToString();
    }

    public static IEnumerable<(string Form, IReadOnlyList<string> Cells)> Rows()
    {
        yield return XidRow("Xid, no process, up to 565: `pid='<unknown>', name=<unknown>, `", XidLines("535.161.08"));
        yield return XidRow("Xid, no process, 570 and later: pid/name left out", XidLines("570.195.03"));
        yield return XidRow("Xid with a process: `pid=2815167, name=pt_main_thread, `", XidLines("570.195.03", process: true));
        yield return XidRow("MIG `(PCI:dddd:bb:dd GPU-I:01)`", XidLines("570.195.03", 1));
        yield return XidRow("MIG `(PCI:dddd:bb:dd GPU-I:01 GPU-CI:00)`", XidLines("570.195.03", 1, 0));
        yield return XidRow("MIG GPU-I + GPU-CI, up to 565", XidLines("535.161.08", 1, 0));
        var rootCause = Builder.BuildXid(new XidLineRequest { Xid = 45, Gpu = Gpu, Driver = Driver("590.48.01"), Pid = 1818990, ProcessName = "python3", Channel = 1, PreviousXid = 149, OmitCompanionRecords = true });
        yield return XidRow("Xid 45 `..., Ch 00000001 caused by previous Xid 149` (570.123.01 and later)", [(45, View(rootCause.MainRecord))]);

        var xid79 = Xid79Records("570.195.03");
        yield return Single("preamble `NVRM: GPU at PCI:dddd:bb:dd: GPU-<uuid>`", xid79[0]);
        yield return Single("preamble `NVRM: GPU Board Serial Number: <serial>`", xid79[1]);
        yield return Single("Xid 79 follow-up `NVRM: GPU dddd:bb:dd.f: GPU has fallen off the bus.`", xid79[3]);
        yield return Single("Xid 79 follow-up `NVRM: GPU dddd:bb:dd.f: GPU serial number is <serial>.`", xid79[4]);
        yield return Single("probe record `NVRM: The NVIDIA GPU dddd:bb:dd.f` / `(PCI ID: vvvv:dddd) ...` / `fallen off the bus and is not responding to commands.`", xid79[5]);

        var sxids = SxidRecords().ToList();
        yield return SxidRow("SXid `Fatal`/`Non-fatal, Link NN ...`", sxids.Where(s => s.Entry.ErrorClass != "Correctable").Select(s => (s.Entry, s.Records[0])));
        yield return SxidRow("SXid `Correctable, Link NN ...`", sxids.Where(s => s.Entry.ErrorClass == "Correctable").Select(s => (s.Entry, s.Records[0])));
        yield return SxidRow("SXid follow-up `Severity N Engine instance NN Sub-engine instance 00`", sxids.Select(s => (s.Entry, s.Records[1])), followUp: true);
        yield return SxidRow("SXid follow-up `Data {0x%08x, ...}`", sxids.Select(s => (s.Entry, s.Records[2])), followUp: true);

        var real = RealLines().Select(r => (r.Line, View: new KernelRecordView(r.Line, FromUserSpace: false))).ToList();
        yield return ("real driver lines of the samples (" + real.Count.ToString(CultureInfo.InvariantCulture) + ")",
            [.. MonitorReadings.Monitors.Select(m =>
            {
                var read = real.Count(r => Reads(m, r.View, RealCode(r.Line)));
                return $"{read} of {real.Count}";
            })]);
    }

    /// <summary>Whether <paramref name="monitor"/> reads the record as an event for <paramref name="code"/> (Xid or SXid).</summary>
    public static bool Reads(string monitor, KernelRecordView record, int code)
    {
        var reading = MonitorReadings.Read(monitor, record);
        var number = code.ToString(CultureInfo.InvariantCulture);
        return reading.StartsWith($"Xid {number} @", StringComparison.Ordinal)
            || reading.StartsWith($"SXid {number}", StringComparison.Ordinal)
            || reading == $"node flagged, Xid {number}" || reading == $"node flagged, SXid {number}"
            || reading == $"check fails, Xid {number}";
    }

    private static (string, IReadOnlyList<string>) XidRow(string form, IEnumerable<(int Xid, KernelRecordView Record)> lines)
    {
        var all = lines.ToList();
        return (form, [.. MonitorReadings.Monitors.Select(m => Summarize(m, all.Select(l => (l.Xid, Reads(m, l.Record, l.Xid))).ToList(), all[0].Record))]);
    }

    private static (string, IReadOnlyList<string>) SxidRow(string form, IEnumerable<(SxidCatalogEntry Entry, KernelRecordView Record)> records, bool followUp = false)
    {
        var all = records.ToList();
        return (form, [.. MonitorReadings.Monitors.Select(m =>
        {
            var cell = Summarize(m, all.Select(r => (r.Entry.Sxid, Reads(m, r.Record, r.Entry.Sxid))).ToList(), all[0].Record, "SXid");
            return followUp && cell.StartsWith('✓') ? cell + " (as another SXid event)" : cell;
        })]);
    }

    private static (string, IReadOnlyList<string>) Single(string form, KernelRecordView record) =>
        (form, [.. MonitorReadings.Monitors.Select(m => MonitorReadings.Read(m, record) is var r && r == MonitorReadings.Nothing ? "✗ not read" : "✓ " + Escape(r))]);

    private static string Summarize(string monitor, IReadOnlyList<(int Code, bool Read)> results, KernelRecordView example, string kind = "Xid")
    {
        var read = results.Where(r => r.Read).Select(r => r.Code).ToList();
        var missed = results.Where(r => !r.Read).Select(r => r.Code).ToList();
        if (missed.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"✓ all {results.Count}");
        }

        if (monitor == "azurehpc-health-checks")
        {
            // It watches a fixed list of Xids and no SXid: reading exactly those is all it is meant to do.
            var watched = results.Select(r => r.Code).Where(c => kind == "Xid" && MonitorPatterns.AzureXids.Contains(c)).ToHashSet();
            if (read.ToHashSet().SetEquals(watched))
            {
                return watched.Count == 0
                    ? (kind == "Xid" ? "— not among its Xids" : "— watches no SXid")
                    : string.Create(CultureInfo.InvariantCulture, $"✓ its {read.Count} Xids, all read");
            }
        }

        if (read.Count == 0)
        {
            return $"✗ none (reads `{Escape(MonitorReadings.Read(monitor, example))}`)";
        }

        return read.Count >= missed.Count
            ? string.Create(CultureInfo.InvariantCulture, $"✓ {read.Count} of {results.Count}; ✗ {Ranges(missed)}")
            : string.Create(CultureInfo.InvariantCulture, $"✗ {missed.Count} of {results.Count}; reads only {Ranges(read)}");
    }

    private static string Ranges(List<int> numbers)
    {
        var parts = new List<string>();
        for (var i = 0; i < numbers.Count; i++)
        {
            var start = numbers[i];
            while (i + 1 < numbers.Count && numbers[i + 1] == numbers[i] + 1)
            {
                i++;
            }

            parts.Add(start == numbers[i] ? start.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{start}-{numbers[i]}"));
        }

        return string.Join(", ", parts);
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static KernelRecordView View(KernelLogLine line) => new(line.Text, FromUserSpace: true);

    [GeneratedRegex(@"(NVRM:|nvidia-nvswitch\d+:)", RegexOptions.CultureInvariant)]
    private static partial Regex DriverText();

    [GeneratedRegex(@"\): (\d+),", RegexOptions.CultureInvariant)]
    private static partial Regex CodeInLine();
}
