using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FaultApi.Tests.Metrics;

/// <summary>
/// A scrape of the API's <c>/metrics</c> with what differs between two runs of the same requests replaced: the API's
/// port (<c>server_port</c>), the process name in <c>target_info</c>'s <c>service_name</c> (<c>dotnet</c>, or the test
/// host), and the values that are times (the buckets and sums of histograms in seconds, whose counts stay; OpenMetrics's
/// <c>_created</c>) or that depend on when the client's connections close (Kestrel's connection metrics). Everything
/// else — HELP, TYPE and UNIT lines, names, label names and values, their order, every count — is kept as served.
/// </summary>
public static partial class ApiScrapeShape
{
    public static string Of(string scrape, int apiPort)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        var shape = new StringBuilder();
        foreach (var line in scrape.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var normalized = line.Replace($"server_port=\"{apiPort.ToString(CultureInfo.InvariantCulture)}\"", "server_port=\"<api>\"", StringComparison.Ordinal);
            normalized = ServiceName().Replace(normalized, "service_name=\"unknown_service:<process>\"");
            if (normalized[0] != '#')
            {
                var name = normalized[..normalized.IndexOfAny(['{', ' '])];
                var timed = name.EndsWith("_seconds_bucket", StringComparison.Ordinal) || name.EndsWith("_seconds_sum", StringComparison.Ordinal)
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

    [GeneratedRegex("service_name=\"unknown_service:[^\"]*\"")]
    private static partial Regex ServiceName();
}
