using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FaultAgent.Tests.Metrics;

/// <summary>
/// A scrape of the agent's <c>/metrics</c> with what differs between two runs of the same requests replaced: the
/// endpoints' ports (<c>server_port</c>), the process name in <c>target_info</c>'s <c>service_name</c> (the native
/// executable or <c>dotnet</c>), and the values that are times (the buckets and sums of histograms in seconds, whose counts
/// stay; OpenMetrics's <c>_created</c>) or that depend on when the client's connections close (Kestrel's connection metrics). Everything else —
/// HELP and TYPE lines, names, label names and values, their order, every count — is kept as served.
/// </summary>
public static partial class ScrapeShape
{
    public static string Of(string scrape, int httpPort, int grpcPort)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        var shape = new StringBuilder();
        foreach (var line in scrape.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var normalized = line
                .Replace($"server_port=\"{httpPort.ToString(CultureInfo.InvariantCulture)}\"", "server_port=\"<http>\"", StringComparison.Ordinal)
                .Replace($"server_port=\"{grpcPort.ToString(CultureInfo.InvariantCulture)}\"", "server_port=\"<grpc>\"", StringComparison.Ordinal);
            normalized = ServiceName().Replace(normalized, "service_name=\"unknown_service:<process>\"");
            if (normalized[0] != '#')
            {
                var name = normalized[..normalized.IndexOfAny(['{', ' '])];
                var timed = (name.EndsWith("_seconds_bucket", StringComparison.Ordinal) || name.EndsWith("_seconds_sum", StringComparison.Ordinal))
                    || name.EndsWith("_created", StringComparison.Ordinal)
                    || name.StartsWith("kestrel_connection_duration_seconds", StringComparison.Ordinal)
                    || name == "kestrel_active_connections";
                if (timed)
                {
                    normalized = normalized[..(normalized.LastIndexOf(' ') + 1)] + "<varies>";
                }
            }

            shape.Append(normalized).Append('\n');
        }

        return shape.ToString();
    }

    [GeneratedRegex("service_name=\"unknown_service:(FaultAgent|dotnet)\"")]
    private static partial Regex ServiceName();
}
