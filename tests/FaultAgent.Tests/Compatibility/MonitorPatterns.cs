using System.Text.RegularExpressions;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// The published patterns of the GPU health monitors our lines must reach, quoted verbatim from their current sources in
/// <c>TestData/monitor_patterns.tsv</c> (each with repository, path, commit and symbol; <see cref="Quotes"/>).
/// Go (RE2) and Python <c>re</c> patterns run here through .NET <see cref="Regex"/>: every one uses only literals,
/// character classes, <c>\d</c>/<c>\s</c>/<c>\w</c>, greedy and lazy quantifiers, groups and the <c>(?s)</c>/<c>(?i)</c>
/// flags, which RE2, Python and .NET read alike for the ASCII text the driver prints (RE2's leftmost-first submatch rule is
/// a backtracking engine's); <see cref="RegexOptions.CultureInvariant"/> keeps <c>(?i)</c> ASCII-only, and the inputs hold
/// no Unicode digits or spaces where <c>\d</c>/<c>\s</c> would differ. azurehpc-health-checks greps a POSIX basic regular
/// expression, <c>Xid.*: N,</c>, whose characters are all literal but <c>.*</c>: the same in .NET. MatrixEnginesTests runs
/// the Python patterns through CPython's <c>re</c> and the grep through GNU grep on the same inputs.
/// </summary>
internal static class MonitorPatterns
{
    /// <summary>Every quoted pattern by key, with where it was read.</summary>
    public static IReadOnlyDictionary<string, MonitorPatternQuote> Quotes { get; } = MonitorPatternQuote.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "monitor_patterns.tsv"));

    /// <summary>NVSentinel health-monitors/syslog-health-monitor/pkg/patterns/xid.go <c>XIDPattern</c> (6710970), the standard Xid parser of the SysLogsXIDError check.</summary>
    public static readonly Regex NvSentinelXid = Compile("NvSentinelXid");

    /// <summary>NVSentinel .../pkg/xid/parser/csv.go <c>reXidNVL5Pattern</c> (4247dff), tried first, for the NVLink5 Xids 144-150.</summary>
    public static readonly Regex NvSentinelNvl5 = Compile("NvSentinelNvl5");

    /// <summary>NVSentinel .../pkg/xid/types.go <c>reNvrmMap</c> (d200be2): the preamble's PCI to GPU UUID map.</summary>
    public static readonly Regex NvSentinelGpuMap = Compile("NvSentinelGpuMap");

    /// <summary>NVSentinel .../pkg/gpufallen/types.go <c>reGPUFallenPattern</c> (c196bcc), the SysLogsGPUFallenOff check.</summary>
    public static readonly Regex NvSentinelGpuFallen = Compile("NvSentinelGpuFallen");

    /// <summary>NVSentinel .../pkg/sxid/types.go <c>reSXIDPattern</c> (c196bcc), the SysLogsSXIDError check.</summary>
    public static readonly Regex NvSentinelSxid = Compile("NvSentinelSxid");

    /// <summary>gpud components/accelerator/nvidia/xid/kmsg.go <c>RegexNVRMXidCombined</c> (2acd894a).</summary>
    public static readonly Regex GpudXidCombined = Compile("GpudXidCombined");

    /// <summary>gpud .../xid/kmsg.go <c>RegexNVRMXidExtended</c> (2acd894a), the NVLink5 body parser.</summary>
    public static readonly Regex GpudXidExtended = Compile("GpudXidExtended");

    /// <summary>gpud .../xid/kmsg.go <c>RegexNVRMFallenOffBusMultiline</c> (2acd894a).</summary>
    public static readonly Regex GpudFallenOffMultiline = Compile("GpudFallenOffMultiline");

    /// <summary>gpud .../xid/kmsg.go <c>RegexNVRMFallenOffBusSingleLine</c> (2acd894a).</summary>
    public static readonly Regex GpudFallenOffSingleLine = Compile("GpudFallenOffSingleLine");

    /// <summary>gpud components/accelerator/nvidia/sxid/kmsg.go <c>RegexNVSwitchSXidKMessage</c> (2acd894a).</summary>
    public static readonly Regex GpudSxid = Compile("GpudSxid");

    /// <summary>gpud .../sxid/kmsg.go <c>RegexNVSwitchSXidDeviceUUID</c> (2acd894a).</summary>
    public static readonly Regex GpudSxidDevice = Compile("GpudSxidDevice");

    /// <summary>
    /// gpud's Xid table (components/accelerator/nvidia/xid/xid.go <c>details</c>): <c>Match</c> reports an Xid only when
    /// it has a detail for it, which is 1-173 except 133 at this commit.
    /// </summary>
    public static bool GpudKnowsXid(int xid) => xid is >= 1 and <= 173 && xid != 133;

    /// <summary>Konduktor konduktor/controller/constants.py <c>DMESG_ERROR_REGEXES</c>: the LogQL <c>|~</c> filters (RE2) over the dmesg DaemonSet's lines.</summary>
    public static readonly Regex KonduktorDmesgXid = Compile("KonduktorDmesgXid");

    public static readonly Regex KonduktorDmesgSxid = Compile("KonduktorDmesgSxid");

    /// <summary>Konduktor konduktor/controller/parse.py <c>is_sxid_error</c>: the code, SXid first (Python <c>re.search</c>).</summary>
    public static readonly Regex KonduktorSxidCode = Compile("KonduktorSxidCode");

    public static readonly Regex KonduktorXidCode = Compile("KonduktorXidCode");

    /// <summary>azurehpc-health-checks customTests/azure_gpu_xid.nhc: <c>XID_EC</c>, each grepped as <c>Xid.*: $XID,</c> over the syslog.</summary>
    public static readonly IReadOnlyList<int> AzureXids = [48, 56, 57, 58, 62, 63, 64, 65, 68, 69, 73, 74, 79, 80, 81, 92, 119, 120];

    public static Regex AzureGrep(int xid) =>
        new(Quotes["AzureXid"].Pattern.Replace("{xid}", xid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), RegexOptions.CultureInvariant);

    /// <summary>
    /// DCGM's hostengine dcgmlib/src/DcgmKmsgReader.cpp <c>ParseKmsgLineForXid</c> (e137795): <c>boost::regex_match</c>,
    /// so the whole record one <c>read()</c> of <c>/dev/kmsg</c> returns (header, text and its newline) must match, and
    /// Boost's <c>.</c> takes the newline by default (<see cref="RegexOptions.Singleline"/>).
    /// </summary>
    public static readonly Regex DcgmKmsgXid = new($@"\A(?:{Quotes["DcgmKmsgXid"].Pattern})\z", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static Regex Compile(string key) => new(Quotes[key].Pattern, RegexOptions.CultureInvariant);
}
