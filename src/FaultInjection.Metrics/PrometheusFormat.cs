using System.Globalization;
using System.Text;

namespace FaultInjection.Metrics;

/// <summary>
/// Values, label values and HELP text in the Prometheus text exposition format 0.0.4: numbers in the invariant culture
/// (doubles as the shortest text that reads back the same, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>), label values with
/// <c>\\</c>, <c>\"</c> and <c>\n</c> escaped, HELP with <c>\\</c> and <c>\n</c>.
/// </summary>
public static class PrometheusFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>What OpenTelemetry's exporter answered a scraper that accepts OpenMetrics (Prometheus asks for it first).</summary>
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores";

    /// <summary>True when the scraper's <c>Accept</c> names OpenMetrics, as Prometheus's does (OpenTelemetry's exporter chose the same way).</summary>
    public static bool WantsOpenMetrics(string? accept) =>
        accept is not null && accept.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase);

    /// <summary>A bucket bound as OpenMetrics writes it: whole numbers with <c>.0</c> (<c>1.0</c>, <c>10.0</c>), <c>+Inf</c>.</summary>
    public static StringBuilder AppendOpenMetricsBound(this StringBuilder text, double bound)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!double.IsFinite(bound))
        {
            return text.AppendDouble(bound);
        }

        var written = bound.ToString(CultureInfo.InvariantCulture);
        text.Append(written);
        return written.AsSpan().IndexOfAny('.', 'E', 'e') < 0 ? text.Append(".0") : text;
    }

    /// <summary>A time as Unix seconds with up to seven decimals (OpenMetrics's <c>_created</c>).</summary>
    public static StringBuilder AppendUnixSeconds(this StringBuilder text, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return text.Append((ticks / 10_000_000m).ToString(CultureInfo.InvariantCulture));
    }

    public static StringBuilder AppendDouble(this StringBuilder text, double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        return double.IsPositiveInfinity(value) ? text.Append("+Inf")
            : double.IsNegativeInfinity(value) ? text.Append("-Inf")
            : double.IsNaN(value) ? text.Append("NaN")
            : text.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    public static StringBuilder AppendLabelValue(this StringBuilder text, string value)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }

        return text;
    }

    public static StringBuilder AppendHelp(this StringBuilder text, string help)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(help);
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }

        return text;
    }

    /// <summary>A tag value as a label value: booleans <c>true</c>/<c>false</c>, numbers in the invariant culture, null empty.</summary>
    public static string LabelValue(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
