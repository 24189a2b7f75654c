using System.Text.RegularExpressions;

namespace FaultAgent.Tests.Injection;

/// <summary>
/// The published patterns of the health monitors that must detect our lines, quoted from their sources
/// (Go RE2 / Python re syntax, all valid .NET regex).
/// </summary>
internal static class ConsumerPatterns
{
    /// <summary>
    /// NVIDIA NVSentinel, health-monitors/syslog-health-monitor, syslogmonitor package (<c>reNvrmXid</c>), applied
    /// to journald's MESSAGE: <c>NVRM: Xid \(PCI:([0-9a-fA-F:]+)\): (\d+),?\s*(.*)</c>. Group 1 PCI, group 2 Xid.
    /// </summary>
    public static readonly Regex NvSentinelXid = new(@"NVRM: Xid \(PCI:([0-9a-fA-F:]+)\): (\d+),?\s*(.*)", RegexOptions.CultureInvariant);

    /// <summary>
    /// NVIDIA NVSentinel, health-monitors/syslog-health-monitor/pkg/xid/parser/csv.go (<c>reXidNVL5Pattern</c>),
    /// for the NVLink5 Xids 144-150.
    /// </summary>
    public static readonly Regex NvSentinelNvl5 = new(
        @"NVRM: Xid \(PCI:([^)]+)\): (\d+)(?:, pid=[^,]*)?(?:, name=[^,]*)?, " +
        @"(\w+)\s+(\w+)\s+(\w+)\s+(\w+)\s+Link\s+(-?\d+)\s+\((0x[0-9a-fA-F]+)\s+(0x[0-9a-fA-F]+)",
        RegexOptions.CultureInvariant);

    /// <summary>NVIDIA NVSentinel, health-monitors/syslog-health-monitor/pkg/xid/types.go (<c>reNvrmMap</c>): PCI to GPU UUID.</summary>
    public static readonly Regex NvSentinelGpuMap = new(@"NVRM: GPU at PCI:([0-9a-fA-F:.]+): (GPU-[0-9a-fA-F-]+)", RegexOptions.CultureInvariant);

    /// <summary>leptonai/gpud, components/accelerator/nvidia/error/xid/README.md: the dmesg/kmsg rule <c>NVRM: Xid.*?: (\d+),</c>.</summary>
    public static readonly Regex GpudXid = new(@"NVRM: Xid.*?: (\d+),", RegexOptions.CultureInvariant);

    /// <summary>leptonai/gpud <c>RegexNVRMXidDeviceUUID</c>: <c>NVRM: Xid \(((?:PCI:)?[0-9a-fA-F:]+)\)</c>.</summary>
    public static readonly Regex GpudXidDevice = new(@"NVRM: Xid \(((?:PCI:)?[0-9a-fA-F:]+)\)", RegexOptions.CultureInvariant);

    /// <summary>leptonai/gpud <c>RegexNVSwitchSXidKMessage</c> / <c>RegexNVSwitchSXidDmesg</c>: <c>SXid.*?: (\d+),</c>.</summary>
    public static readonly Regex GpudSxid = new(@"SXid.*?: (\d+),", RegexOptions.CultureInvariant);

    /// <summary>leptonai/gpud <c>RegexNVSwitchSXidDeviceUUID</c>: <c>SXid \((PCI:[0-9a-fA-F:\.]+)\)</c>.</summary>
    public static readonly Regex GpudSxidDevice = new(@"SXid \((PCI:[0-9a-fA-F:\.]+)\)", RegexOptions.CultureInvariant);

    /// <summary>leptonai/gpud <c>RegexNVRMXidCombined</c>: <c>NVRM: Xid \(((?:PCI:)?[0-9a-fA-F:]+)\).*?: (\d+),</c>.</summary>
    public static readonly Regex GpudXidCombined = new(@"NVRM: Xid \(((?:PCI:)?[0-9a-fA-F:]+)\).*?: (\d+),", RegexOptions.CultureInvariant);

    /// <summary>Trainy-ai/konduktor, konduktor/controller/constants.py DMESG_ERROR_REGEXES: <c>(?i)NVRM: xid</c> and <c>(?i)SXid</c>.</summary>
    public static readonly Regex KonduktorDmesgXid = new(@"(?i)NVRM: xid", RegexOptions.CultureInvariant);

    public static readonly Regex KonduktorDmesgSxid = new(@"(?i)SXid", RegexOptions.CultureInvariant);

    /// <summary>Trainy-ai/konduktor, konduktor/controller/parse.py is_sxid_error: <c>NVRM: Xid.*?: (\d+),</c>.</summary>
    public static readonly Regex KonduktorXidCode = new(@"NVRM: Xid.*?: (\d+),", RegexOptions.CultureInvariant);

    /// <summary>Trainy-ai/konduktor, konduktor/controller/parse.py is_sxid_error: <c>SXid.*?: (\d+),</c>.</summary>
    public static readonly Regex KonduktorSxidCode = new(@"SXid.*?: (\d+),", RegexOptions.CultureInvariant);
}
