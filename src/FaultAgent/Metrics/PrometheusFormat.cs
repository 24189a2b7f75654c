using System.Globalization;
using System.Text;

namespace FaultAgent.Metrics;

/// <summary>
/// Values, label values and HELP text in the Prometheus text exposition format 0.0.4: numbers in the invariant culture
/// (doubles as the shortest text that reads back the same, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>), label values with
/// <c>\\</c>, <c>\"</c> and <c>\n</c> escaped, HELP with <c>\\</c> and <c>\n</c>.
/// </summary>
public static class PrometheusFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

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
