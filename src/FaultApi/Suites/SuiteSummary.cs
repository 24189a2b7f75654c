using System.Globalization;

namespace FaultApi.Suites;

/// <summary>The per-expectation summary of a suite (<see cref="SuiteExpectationSummary"/>), in the order the expectations first appear.</summary>
public static class SuiteSummary
{
    public static IReadOnlyList<SuiteExpectationSummary> Of(IEnumerable<SuiteDrill> drills)
    {
        ArgumentNullException.ThrowIfNull(drills);
        var list = drills.ToList();
        var expectations = list.SelectMany(d => d.Expect).Distinct(StringComparer.Ordinal).ToList();
        return [.. expectations.Select(expectation =>
        {
            var expecting = list.Where(d => d.Expect.Contains(expectation, StringComparer.Ordinal)).ToList();
            var times = expecting
                .Select(d => d.Steps.FirstOrDefault(s => s.Step == expectation))
                .Where(s => s is not null)
                .Select(s => s!.SecondsSinceInjection)
                .Order()
                .ToList();
            double? p50 = times.Count == 0 ? null : NearestRank(times, 0.50);
            double? p95 = times.Count == 0 ? null : NearestRank(times, 0.95);
            double? max = times.Count == 0 ? null : times[^1];
            var text = $"{expectation}: {times.Count.ToString(CultureInfo.InvariantCulture)}/{expecting.Count.ToString(CultureInfo.InvariantCulture)}"
                + (times.Count == 0 ? "" : $", p50 {Seconds(p50!.Value)}, p95 {Seconds(p95!.Value)}, max {Seconds(max!.Value)}");
            return new SuiteExpectationSummary(expectation, times.Count, expecting.Count, p50, p95, max, text);
        })];
    }

    /// <summary>The nearest-rank percentile of sorted <paramref name="sorted"/>: the smallest value with at least <paramref name="fraction"/> of the values at or below it.</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    private static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
