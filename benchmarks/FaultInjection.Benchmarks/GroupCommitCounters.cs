using System.Globalization;
using System.Text.RegularExpressions;

namespace FaultInjection.Benchmarks;

/// <summary>
/// The agent's group-commit counters as its <c>GET /metrics</c> (Prometheus text) shows them: the journal's fsyncs
/// (<c>fault_agent_journal_fsyncs_total</c>), and the histogram of injections per group commit
/// (<c>fault_agent_injection_batch_size</c>: count = batches, sum = injections journaled, cumulative buckets by upper bound),
/// and the open faults at the scrape (<c>fault_agent_faults_active</c>: what the agent's RSS after load holds).
/// </summary>
public sealed partial record GroupCommitCounters(double Fsyncs, double Batches, double Injections, IReadOnlyList<(string Le, double Count)> Buckets, double FaultsActive)
{
    public static async Task<GroupCommitCounters> ScrapeAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        var text = await http.GetStringAsync(metrics, cancellationToken).ConfigureAwait(false);
        double Single(string name) =>
            Sample().Matches(text).Where(m => m.Groups["name"].Value == name).Select(m => Value(m)).DefaultIfEmpty(double.NaN).Sum() is var v && !double.IsNaN(v)
                ? v
                : throw new InvalidOperationException($"{metrics} has no {name}");
        var buckets = Sample().Matches(text)
            .Where(m => m.Groups["name"].Value == "fault_agent_injection_batch_size_bucket")
            .Select(m => (Le: LeLabel().Match(m.Groups["labels"].Value).Groups["le"].Value, Count: Value(m)))
            .ToList();
        return new GroupCommitCounters(
            Single("fault_agent_journal_fsyncs_total"),
            Single("fault_agent_injection_batch_size_count"),
            Single("fault_agent_injection_batch_size_sum"),
            buckets,
            Single("fault_agent_faults_active"));
    }

    /// <summary>What happened between <paramref name="before"/> and this scrape, as one line: batches by size range.</summary>
    public string DistributionSince(GroupCommitCounters before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var parts = new List<string>();
        var previousLe = "0";
        var previousCount = 0.0;
        foreach (var (le, count) in Buckets)
        {
            var was = before.Buckets.FirstOrDefault(b => b.Le == le).Count;
            var cumulative = count - was;
            var inBucket = cumulative - previousCount;
            if (inBucket > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"({previousLe},{le}]: {inBucket:0}"));
            }

            previousLe = le;
            previousCount = cumulative;
        }

        return string.Join(", ", parts);
    }

    private static double Value(Match m) => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"le=""(?<le>[^""]*)""")]
    private static partial Regex LeLabel();
}
