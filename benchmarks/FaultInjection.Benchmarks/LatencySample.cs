using System.Globalization;

namespace FaultInjection.Benchmarks;

/// <summary>Per-operation latencies (ms) and their percentiles.</summary>
public sealed class LatencySample(string name)
{
    private readonly List<double> _milliseconds = [];

    public string Name { get; } = name;

    public int Count => _milliseconds.Count;

    /// <summary>Every latency in the order taken (ms).</summary>
    public IReadOnlyList<double> Values => _milliseconds;

    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    /// <summary>Methods the benchmark process itself JIT-compiled while the sample was taken (-1: not read).</summary>
    public long ClientJitMethods { get; set; } = -1;

    /// <summary>The benchmark process's JIT time while the sample was taken (ms).</summary>
    public double ClientJitMilliseconds { get; set; }

    /// <summary>Methods the API JIT-compiled while the sample was taken, from its perf map (-1: not read).</summary>
    public int ApiJitMethods { get; set; } = -1;

    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var index = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    public double Mean => _milliseconds.Count == 0 ? double.NaN : _milliseconds.Average();

    /// <summary>p50 / p90 / max of each block of <paramref name="size"/> in the order taken (ms): where in a phase its tail fell.</summary>
    public string Blocks(int size)
    {
        var parts = new List<string>();
        for (var start = 0; start < _milliseconds.Count; start += size)
        {
            var block = new LatencySample(Name);
            foreach (var value in _milliseconds.Skip(start).Take(size))
            {
                block._milliseconds.Add(value);
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{block.Percentile(50):0.00}/{block.Percentile(90):0.00}/{block.Percentile(100):0.0}"));
        }

        return $"blocks of {size} (p50/p90/max ms): " + string.Join(' ', parts);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: n={Count} p50={Percentile(50):0.000} ms p90={Percentile(90):0.000} ms p99={Percentile(99):0.000} ms max={Percentile(100):0.000} ms mean={Mean:0.000} ms");
}
