using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FaultInjection.TestSupport.Metrics;

/// <summary>
/// A scrape of a program's <c>/metrics</c> (the agent's or the API's, one exporter) with what differs between two runs
/// of the same requests replaced: the endpoints' ports (<c>server_port</c>, named by the caller), the process name in
/// <c>target_info</c>'s <c>service_name</c> (the native executable, <c>dotnet</c> or the test host), and the values that
/// are times (the buckets and sums of histograms in seconds, whose counts stay; OpenMetrics's <c>_created</c>) or that
/// depend on when the client's connections close (Kestrel's connection metrics). Each metric's series are put in the
/// order of their labels (a histogram's lines stay together, in their order): the exporter writes a metric's series in
/// the order their first measurement came, and ASP.NET Core records a request's duration after its answer is sent, so on
/// a loaded machine the next request's series can come first. Everything else — the metrics and their order, HELP, TYPE
/// and UNIT lines, names, label names and values, every count — is kept as served.
/// </summary>
public static partial class ScrapeShape
{
    /// <param name="scrape">The scrape as served.</param>
    /// <param name="ports">Each endpoint's port and the name it is shown as (<c>server_port="&lt;name&gt;"</c>).</param>
    public static string Of(string scrape, IReadOnlyDictionary<int, string> ports)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        ArgumentNullException.ThrowIfNull(ports);
        var shape = new StringBuilder();
        var series = new List<(string Key, List<string> Lines)>();
        foreach (var line in scrape.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var normalized = line;
            foreach (var (port, name) in ports)
            {
                normalized = normalized.Replace($"server_port=\"{port.ToString(CultureInfo.InvariantCulture)}\"", $"server_port=\"<{name}>\"", StringComparison.Ordinal);
            }

            normalized = ServiceName().Replace(normalized, "service_name=\"unknown_service:<process>\"");
            if (normalized[0] == '#')
            {
                Flush(shape, series);
                shape.Append(normalized).Append('\n');
                continue;
            }

            var metric = normalized[..normalized.IndexOfAny(['{', ' '])];
            var timed = metric.EndsWith("_seconds_bucket", StringComparison.Ordinal) || metric.EndsWith("_seconds_sum", StringComparison.Ordinal)
                || metric.EndsWith("_created", StringComparison.Ordinal)
                || metric.StartsWith("kestrel_connection_duration_seconds", StringComparison.Ordinal)
                || metric == "kestrel_active_connections";
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
