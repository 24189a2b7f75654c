using System.Globalization;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// What each monitor makes of one record, following its own code path (quoted in <see cref="MonitorPatterns"/>), as a
/// short reading: <c>Xid 79 @0000:3b:00</c>, <c>SXid 20034</c>, <c>fallen off 0000:3b:00.0</c>, <c>PCI→UUID</c>, or
/// <c>—</c> when the monitor does nothing with it.
/// </summary>
internal static class MonitorReadings
{
    public const string Nothing = "—";

    public static IReadOnlyList<string> Monitors { get; } = ["NVSentinel", "gpud", "Konduktor", "azurehpc-health-checks"];

    public static string Read(string monitor, KernelRecordView record) => monitor switch
    {
        "NVSentinel" => NvSentinel(record.JournalMessage),
        "gpud" => Gpud(record.KmsgText),
        "Konduktor" => Konduktor(record.DmesgLines),
        "azurehpc-health-checks" => Azure(record.SyslogLines),
        _ => throw new ArgumentOutOfRangeException(nameof(monitor), monitor, "unknown monitor"),
    };

    /// <summary>
    /// syslog-health-monitor: the XID handler (PCI→UUID map lines first; the NVL5 parser, then XIDPattern), the
    /// GPU-fallen handler (only for a message without an Xid), the SXID handler.
    /// </summary>
    public static string NvSentinel(string message)
    {
        if (MonitorPatterns.NvSentinelGpuMap.Match(message) is { Success: true } map)
        {
            return $"PCI→UUID {map.Groups[1].Value}";
        }

        if (MonitorPatterns.NvSentinelNvl5.Match(message) is { Success: true } nvl5 && Code(nvl5.Groups[2].Value) is >= 144 and <= 150)
        {
            return $"Xid {nvl5.Groups[2].Value} @{nvl5.Groups[1].Value}";
        }

        if (MonitorPatterns.NvSentinelXid.Match(message) is { Success: true } xid)
        {
            return $"Xid {xid.Groups[2].Value} @{xid.Groups[1].Value}";
        }

        if (MonitorPatterns.NvSentinelGpuFallen.Match(message) is { Success: true } fallen)
        {
            return $"fallen off {fallen.Groups[1].Value}";
        }

        if (MonitorPatterns.NvSentinelSxid.Match(message) is { Success: true } sxid)
        {
            return $"SXid {Code(sxid.Groups[3].Value)} {sxid.Groups[4].Value}";
        }

        return Nothing;
    }

    /// <summary>gpud's xid <c>Match</c> (extended, combined with its table, fallen-off fallbacks), then sxid <c>Match</c>.</summary>
    public static string Gpud(string kmsg)
    {
        if (MonitorPatterns.GpudXidExtended.Match(kmsg) is { Success: true } extended && Code(extended.Groups[2].Value) is >= 144 and <= 150)
        {
            return $"Xid {extended.Groups[2].Value} @{extended.Groups[1].Value}";
        }

        if (MonitorPatterns.GpudXidCombined.Match(kmsg) is { Success: true } combined && Code(combined.Groups[2].Value) is { } code && code != 0)
        {
            return MonitorPatterns.GpudKnowsXid(code) ? $"Xid {code} @{combined.Groups[1].Value.Replace("PCI:", "", StringComparison.Ordinal)}" : $"Xid {code} not in its table";
        }

        if (MonitorPatterns.GpudFallenOffSingleLine.Match(kmsg) is { Success: true } single)
        {
            return $"Xid 79 @{single.Groups[1].Value} (fallen off)";
        }

        if (MonitorPatterns.GpudFallenOffMultiline.Match(kmsg) is { Success: true } multi)
        {
            return $"Xid 79 @{multi.Groups[1].Value} (fallen off)";
        }

        if (MonitorPatterns.GpudSxid.Match(kmsg) is { Success: true } sxid)
        {
            return $"SXid {Code(sxid.Groups[1].Value)}";
        }

        return Nothing;
    }

    /// <summary>Konduktor: a line the LogQL filter passes flags the node; parse.py names the code (SXid first).</summary>
    public static string Konduktor(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            if (!MonitorPatterns.KonduktorDmesgXid.IsMatch(line) && !MonitorPatterns.KonduktorDmesgSxid.IsMatch(line))
            {
                continue;
            }

            if (MonitorPatterns.KonduktorSxidCode.Match(line) is { Success: true } sxid)
            {
                return $"node flagged, SXid {Code(sxid.Groups[1].Value)}";
            }

            return MonitorPatterns.KonduktorXidCode.Match(line) is { Success: true } xid
                ? $"node flagged, Xid {xid.Groups[1].Value}"
                : "node flagged, no code";
        }

        return Nothing;
    }

    /// <summary>azurehpc-health-checks: the check fails on the first of its Xids whose grep finds a line.</summary>
    public static string Azure(IReadOnlyList<string> lines)
    {
        foreach (var xid in MonitorPatterns.AzureXids)
        {
            var grep = MonitorPatterns.AzureGrep(xid);
            if (lines.Any(l => l.Contains("Xid", StringComparison.Ordinal) && grep.IsMatch(l)))
            {
                return string.Create(CultureInfo.InvariantCulture, $"check fails, Xid {xid}");
            }
        }

        return Nothing;
    }

    private static int? Code(string digits) => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
}
