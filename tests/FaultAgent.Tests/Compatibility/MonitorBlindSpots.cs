using FaultAgent.Xids;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// Where a monitor's own code reports nothing (<see cref="MissReason"/>) or the wrong device (<see cref="MisreadReason"/>)
/// for a record that means an Xid or SXid. <see cref="MonitorCodeTests"/> first proves the monitor gives the driver's own
/// text the same verdict, so each of these is the monitor's, not ours: the agent's lines keep the driver's form (the
/// README's "What the monitors' own code sees" lists them). Keyed by monitor, driver form, record kind and code.
/// </summary>
internal static class MonitorBlindSpots
{
    public static string Key(string monitor, string form, string recordKind, int code) => $"{monitor} | {form} | {recordKind} | {code}";

    /// <summary>Why the monitor's code reports nothing for this record, or null when it must report the intent.</summary>
    public static string? MissReason(string monitor, string form, string recordKind, int code)
    {
        var mig = form.Contains("MIG", StringComparison.Ordinal);
        return (monitor, recordKind) switch
        {
            ("NVSentinel", MonitorRecordKind.XidLine) when mig && code is < 144 or > 150 =>
                "XIDPattern wants `): ` right after the PCI address; the driver's MIG suffix ` GPU-I:%02u` comes first",
            ("NVSentinel", MonitorRecordKind.SxidLine) when form == "SXid Correctable" =>
                "reSXIDPattern reads only `(Fatal|Non-fatal), Link`",
            ("NVSentinel", MonitorRecordKind.SxidSeverity or MonitorRecordKind.SxidData) =>
                "reSXIDPattern reads only the SXid line with `(Fatal|Non-fatal), Link`, not its follow-ups",
            ("NVSentinel", MonitorRecordKind.FallenOff) =>
                "no handler reads `NVRM: GPU dddd:bb:dd.f: GPU has fallen off the bus.` (the GPU-fallen handler reads the probe record)",
            ("gpud", MonitorRecordKind.XidLine) when mig =>
                "RegexNVRMXidCombined and RegexNVRMXidExtended want `)` right after the PCI address; the MIG suffix comes first",
            ("gpud", MonitorRecordKind.XidLine) when XidCatalog.Default.FindXid(code) is not null && code is 133 or >= 174 =>
                "Match reports an Xid only when its table (catalog_generated.go) knows it",
            ("Konduktor", MonitorRecordKind.FallenOff or MonitorRecordKind.Probe) =>
                "the LogQL filter passes `NVRM: xid` and `SXid` lines only",
            _ => null,
        };
    }

    /// <summary>Why the monitor's code names another device than the line's GPU, or null.</summary>
    public static string? MisreadReason(string monitor, string form, string recordKind, int code) =>
        monitor == "NVSentinel" && recordKind == MonitorRecordKind.XidLine && form.Contains("MIG", StringComparison.Ordinal) && code is >= 144 and <= 150
            ? "reXidNVL5Pattern takes everything up to `)` as the PCI address: `dddd:bb:dd GPU-I:01[ GPU-CI:00]`, which names no GPU"
            : null;
}
