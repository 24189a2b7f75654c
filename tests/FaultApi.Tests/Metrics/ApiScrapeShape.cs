using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FaultApi.Tests.Metrics;

/// <summary>
/// A scrape of the API's <c>/metrics</c> with what differs between two runs of the same requests replaced: the API's
/// port (<c>server_port</c>), the process name in <c>target_info</c>'s <c>service_name</c> (<c>dotnet</c>, or the test
/// host), and the values that are times (the buckets and sums of histograms in seconds, whose counts stay; OpenMetrics's
/// <c>_created</c>) or that depend on when the client's connections close (Kestrel's connection metrics). Each metric's
/// series are put in the order of their labels (a histogram's lines stay together, in their order): both exporters write
/// a metric's series in the order their first measurement came, and ASP.NET Core records a request's duration after its
/// answer is sent, so on a loaded machine the next request's series can come first. Everything else — the metrics and
/// their order, HELP, TYPE and UNIT lines, names, label names and values, every count — is kept as served.
/// </summary>
public static partial class ApiScrapeShape
{
    public static string Of(string scrape, int apiPort)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        var shape = new StringBuilder();
        var series = new List<(string Key, List<string> Lines)>();
        foreach (var line in scrape.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var normalized = line.Replace($"server_port=\"{apiPort.ToString(CultureInfo.InvariantCulture)}\"", "server_port=\"<api>\"", StringComparison.Ordinal);
            normalized = ServiceName().Replace(normalized, "service_name=\"unknown_service:<process>\"");
            if (normalized[0] == '#')
            {
                Flush(shape, series);
                shape.Append(normalized).Append('\n');
                continue;
            }

            var name = normalized[..normalized.IndexOfAny(['{', ' '])];
            var timed = name.EndsWith("_seconds_bucket", StringComparison.Ordinal) || name.EndsWith("_seconds_sum", StringComparison.Ordinal)
                || name.EndsWith("_created", StringComparison.Ordinal)
                || name.StartsWith("kestrel_connection_duration_seconds", StringComparison.Ordinal)
                || name == "kestrel_active_connections";
            if (timed)
            {
                normalized = normalized[..(normalized.LastIndexOf(' ') + 1)] + "<varies>";
            }

            var key = SeriesKey(normalized);
            var index = series.FindIndex(s => s.Key == key);
            if (index < 0)
            {
                series.Add((key, [normalized]));
            }
            else
            {
                series[index].Lines.Add(normalized);
            }
        }

        Flush(shape, series);
        return shape.ToString();
    }

    /// <summary>A sample's labels without <c>le</c>: the lines of one series (a histogram's buckets, sum and count) share it.</summary>
    private static string SeriesKey(string sample)
    {
        var open = sample.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return "";
        }

        var labels = sample[(open + 1)..sample.LastIndexOf('}')];
        return Le().Replace(labels, "");
    }

    private static void Flush(StringBuilder shape, List<(string Key, List<string> Lines)> series)
    {
        foreach (var (_, lines) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            foreach (var line in lines)
            {
                shape.Append(line).Append('\n');
            }
        }

        series.Clear();
    }

    [GeneratedRegex("(^|,)le=\"[^\"]*\"")]
    private static partial Regex Le();

    [GeneratedRegex("service_name=\"unknown_service:[^\"]*\"")]
    private static partial Regex ServiceName();
}
