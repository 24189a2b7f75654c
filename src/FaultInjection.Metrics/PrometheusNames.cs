using System.Text;

namespace FaultInjection.Metrics;

/// <summary>
/// Prometheus names of instruments and tags, as OpenTelemetry's Prometheus exporter (1.20.1-beta.1) wrote them for the
/// agent and the API before (the scrapes' golden shapes: <c>tests/FaultAgent.Tests/TestData/metrics/agent-scrape.golden.txt</c>,
/// <c>tests/FaultApi.Tests/TestData/metrics/api-scrape.golden.txt</c>):
/// characters outside <c>[a-zA-Z0-9_:]</c> become <c>_</c> (runs of them one), the unit is appended as a word
/// (<c>s</c> → <c>_seconds</c>; annotations such as <c>{injection}</c> add nothing), and counters end in <c>_total</c>.
/// </summary>
public static class PrometheusNames
{
    /// <summary>The exported name of an instrument: <c>fault_agent.kernel_log.write.duration</c> in <c>s</c> → <c>fault_agent_kernel_log_write_duration_seconds</c>.</summary>
    public static string Metric(string instrumentName, string? unit, bool counter)
    {
        ArgumentNullException.ThrowIfNull(instrumentName);
        var name = Sanitize(instrumentName, allowColon: true);
        var unitWord = UnitWord(unit);
        if (unitWord.Length > 0 && !name.EndsWith(unitWord, StringComparison.Ordinal))
        {
            name += "_" + unitWord;
        }

        if (counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>A tag's label name: <c>http.request.method</c> → <c>http_request_method</c>.</summary>
    public static string Label(string tagName)
    {
        ArgumentNullException.ThrowIfNull(tagName);
        return Sanitize(tagName, allowColon: false);
    }

    /// <summary>The unit as a word of the name: UCUM units spelled out, <c>a/b</c> → <c>a_per_b</c>, annotations (<c>{…}</c>) dropped.</summary>
    public static string UnitWord(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return "";
        }

        var withoutAnnotations = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                withoutAnnotations.Append(c);
            }
        }

        var bare = withoutAnnotations.ToString().Trim();
        if (bare.Length == 0)
        {
            return "";
        }

        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var numerator = Word(bare[..slash]);
            var denominator = PerWord(bare[(slash + 1)..]);
            return numerator.Length == 0 ? "per_" + denominator : numerator + "_per_" + denominator;
        }

        return Word(bare);
    }

    private static string Word(string unit) => unit switch
    {
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "TiBy" => "tibibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "TBy" => "terabytes",
        "m" => "meters",
        "V" => "volts",
        "A" => "amperes",
        "J" => "joules",
        "W" => "watts",
        "g" => "grams",
        "Cel" => "celsius",
        "Hz" => "hertz",
        "%" => "percent",
        "1" => "",
        _ => Sanitize(unit, allowColon: false),
    };

    private static string PerWord(string unit) => unit switch
    {
        "s" => "second",
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        _ => Word(unit),
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var result = new StringBuilder(name.Length + 1);
        var lastWasUnderscore = false;
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next == '_' && lastWasUnderscore)
            {
                continue;
            }

            result.Append(next);
            lastWasUnderscore = next == '_';
        }

        if (result.Length > 0 && char.IsAsciiDigit(result[0]))
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }
}
