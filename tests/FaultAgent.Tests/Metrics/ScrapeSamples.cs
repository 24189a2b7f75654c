using System.Globalization;

namespace FaultAgent.Tests.Metrics;

/// <summary>The samples of a scrape by series (<c>name{labels}</c> as served), every line checked to be a comment or <c>series value</c>.</summary>
public static class ScrapeSamples
{
    public static Dictionary<string, double> Parse(string scrape)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in scrape.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var value = line[(space + 1)..] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            Assert.True(samples.TryAdd(line[..space], value), $"a series served twice: {line}");
        }

        return samples;
    }

    /// <summary>The sum of every sample whose series starts with <paramref name="prefix"/>.</summary>
    public static double Total(this Dictionary<string, double> samples, string prefix) =>
        samples.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(s => s.Value);
}
