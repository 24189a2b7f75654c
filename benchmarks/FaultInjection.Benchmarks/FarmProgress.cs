using System.Globalization;
using System.Text.RegularExpressions;

namespace FaultInjection.Benchmarks;

/// <summary>
/// The start of <c>benchmarks/AgentFarm</c> as it reports it: "ready n/N &lt;ms&gt; ms" per app that answered /health.
/// <see cref="First"/> is the first app's (alone: it JIT-compiles the shared code), <see cref="All"/> the last one's.
/// </summary>
public sealed partial record FarmProgress(TimeSpan First, TimeSpan All)
{
    /// <summary>
    /// Waits until the farm reports every app ready. Fails when the farm exits (it names how many came up when an app
    /// stalls) or when no app became ready for <paramref name="noProgressLimit"/>, naming how many did.
    /// </summary>
    public static async Task<FarmProgress> WaitAllReadyAsync(ChildProcess farm, int count, TimeSpan noProgressLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(farm);
        var lastReady = 0;
        var lastProgress = DateTime.UtcNow;
        var reported = DateTime.UtcNow;
        while (true)
        {
            var readyLines = ReadyLine().Matches(farm.Output);
            var ready = readyLines.Count == 0 ? 0 : int.Parse(readyLines[^1].Groups["n"].Value, CultureInfo.InvariantCulture);
            if (ready >= count)
            {
                return new FarmProgress(Milliseconds(readyLines[0]), Milliseconds(readyLines[^1]));
            }

            if (farm.HasExited)
            {
                throw new InvalidOperationException($"the agent farm exited with {ready} of {count} agents healthy:\n{Tail(farm.Output)}");
            }

            if (ready != lastReady)
            {
                lastReady = ready;
                lastProgress = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastProgress > noProgressLimit)
            {
                throw new TimeoutException($"the agent farm stalled: {ready} of {count} agents healthy, none more for {noProgressLimit.TotalSeconds:0} s:\n{Tail(farm.Output)}");
            }

            if (DateTime.UtcNow - reported > TimeSpan.FromSeconds(15))
            {
                reported = DateTime.UtcNow;
                Console.WriteLine($"  farm: {ready}/{count} agents healthy after {farm.Started.Elapsed.TotalSeconds:0} s");
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Milliseconds(Match line) =>
        TimeSpan.FromMilliseconds(long.Parse(line.Groups["ms"].Value, CultureInfo.InvariantCulture));

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];

    [GeneratedRegex(@"^ready (?<n>\d+)/\d+ (?<ms>\d+) ms", RegexOptions.Multiline)]
    private static partial Regex ReadyLine();
}
