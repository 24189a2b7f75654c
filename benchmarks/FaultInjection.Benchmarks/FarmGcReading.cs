using System.Globalization;
using System.Text.RegularExpressions;

namespace FaultInjection.Benchmarks;

/// <summary>
/// The farm process's own GC totals as <c>benchmarks/AgentFarm</c> prints them ("gc &lt;ms&gt; ms paused, &lt;n&gt; gen2",
/// with "all ready" and every 5 s after): how much of a phase the farm's agents spent paused in the GC.
/// </summary>
public sealed partial record FarmGcReading(double PausedMilliseconds, int FullCollections)
{
    /// <summary>The farm's latest reading; waits for a fresh one (the farm prints every 5 s) so the phase just ended is in it.</summary>
    public static async Task<FarmGcReading> NextAsync(ChildProcess farm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(farm);
        var before = GcLine().Count(farm.Output);
        for (var waited = 0; waited < 100 && GcLine().Count(farm.Output) <= before; waited++)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        var lines = GcLine().Matches(farm.Output);
        if (lines.Count == 0)
        {
            throw new InvalidOperationException("the agent farm printed no GC reading");
        }

        var last = lines[^1];
        return new FarmGcReading(
            double.Parse(last.Groups["ms"].Value, CultureInfo.InvariantCulture),
            int.Parse(last.Groups["gen2"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^gc (?<ms>\d+) ms paused, (?<gen2>\d+) gen2", RegexOptions.Multiline)]
    private static partial Regex GcLine();
}
