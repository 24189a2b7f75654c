using System.Globalization;

namespace FaultAgent.Telemetry;

/// <summary>
/// nvidia-smi prints a bus id with an 8-hex-digit domain in upper case (<c>00000000:18:00.0</c>); the driver's procfs and
/// <c>ListGpus</c> use a 4-digit domain in lower case (<c>0000:18:00.0</c>). Telemetry uses the procfs form so both join.
/// </summary>
public static class PciBusIdFormat
{
    public static string ToProcfs(string busId)
    {
        ArgumentNullException.ThrowIfNull(busId);
        var colon = busId.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !uint.TryParse(busId.AsSpan(0, colon), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var domain))
        {
            return busId.ToLowerInvariant(); // not a bus id we know; keep it
        }

        return domain.ToString(domain <= 0xFFFF ? "x4" : "x8", CultureInfo.InvariantCulture) + busId[colon..].ToLowerInvariant();
    }
}
