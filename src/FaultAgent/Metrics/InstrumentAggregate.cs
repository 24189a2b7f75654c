using System.Text;

namespace FaultAgent.Metrics;

/// <summary>
/// The aggregate of one instrument (or of every instrument with the same meter name, instrument name and kind, as
/// OpenTelemetry merged them): one <see cref="MetricSeries"/> per distinct tag set, cumulative since the start, kept in
/// the order first seen. Thread-safe: measurements and a scrape's read take the stream's lock.
/// <para>
/// Bounded like OpenTelemetry's default cardinality limit: at most <see cref="MaxSeries"/> series; once
/// <see cref="MaxSeries"/> − 1 tag sets have their own series, the measurements of any new tag set go to one overflow
/// series labelled <c>otel_metric_overflow="true"</c> (only its scope label besides), so totals stay right. Series are
/// created as tag sets arrive (OpenTelemetry preallocated all 2,000 points of every stream: 2.6 MB at idle).
/// </para>
/// </summary>
public sealed class InstrumentAggregate
{
    /// <summary>OpenTelemetry's default cardinality limit per metric stream, which the agent's scrape had.</summary>
    public const int DefaultMaxSeries = 2000;

    /// <summary>OpenTelemetry's default histogram bounds, for a histogram without bucket advice.</summary>
    public static readonly IReadOnlyList<double> DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly Lock _gate = new();
    private readonly Dictionary<int, MetricSeries> _byHash = [];
    private readonly List<MetricSeries> _series = [];
    private readonly string _scopeLabel;
    private readonly double[] _bounds;
    private MetricSeries? _overflow;

    public InstrumentAggregate(string name, string? help, string scopeName, MetricAggregation aggregation, bool wholeNumbers, IReadOnlyList<double>? bounds = null, int maxSeries = DefaultMaxSeries)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(scopeName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        Name = name;
        Help = help ?? "";
        Aggregation = aggregation;
        WholeNumbers = wholeNumbers;
        MaxSeries = maxSeries;
        _bounds = aggregation == MetricAggregation.Histogram ? [.. bounds ?? DefaultBounds] : [];
        _scopeLabel = new StringBuilder("otel_scope_name=\"").AppendLabelValue(scopeName).Append('"').ToString();
    }

    /// <summary>The exported name (<see cref="PrometheusNames.Metric"/>).</summary>
    public string Name { get; }

    public string Help { get; }

    public MetricAggregation Aggregation { get; }

    /// <summary>Values are whole numbers (byte, short, int, long instruments), written without a fraction.</summary>
    public bool WholeNumbers { get; }

    public int MaxSeries { get; }

    /// <summary>The Prometheus type: counter, gauge or histogram.</summary>
    public string PrometheusType => Aggregation switch
    {
        MetricAggregation.Counter or MetricAggregation.ObservedCounter => "counter",
        MetricAggregation.Histogram => "histogram",
        _ => "gauge",
    };

    /// <summary>Series held now, the overflow series included.</summary>
    public int SeriesCount
    {
        get
        {
            lock (_gate)
            {
                return _series.Count;
            }
        }
    }

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            var series = Find(tags);
            switch (Aggregation)
            {
                case MetricAggregation.Counter or MetricAggregation.UpDownCounter:
                    series.LongValue += value;
                    break;
                case MetricAggregation.Histogram:
                    Observe(series, value);
                    break;
                default:
                    series.LongValue = value;
                    break;
            }
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            var series = Find(tags);
            switch (Aggregation)
            {
                case MetricAggregation.Counter or MetricAggregation.UpDownCounter:
                    series.DoubleValue += value;
                    break;
                case MetricAggregation.Histogram:
                    Observe(series, value);
                    break;
                default:
                    series.DoubleValue = value;
                    break;
            }
        }
    }

    /// <summary>Appends <c># TYPE</c>, <c># HELP</c> and every series; nothing while no measurement was recorded.</summary>
    public void WriteTo(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            if (_series.Count == 0)
            {
                return;
            }

            text.Append("# TYPE ").Append(Name).Append(' ').Append(PrometheusType).Append('\n');
            if (Help.Length > 0)
            {
                text.Append("# HELP ").Append(Name).Append(' ').AppendHelp(Help).Append('\n');
            }

            foreach (var series in _series)
            {
                if (Aggregation == MetricAggregation.Histogram)
                {
                    WriteHistogram(text, series);
                }
                else
                {
                    text.Append(Name).Append('{').Append(series.Labels).Append("} ");
                    _ = WholeNumbers ? text.Append(series.LongValue) : text.AppendDouble(series.DoubleValue);
                    text.Append('\n');
                }
            }
        }
    }

    private void WriteHistogram(StringBuilder text, MetricSeries series)
    {
        var counts = series.BucketCounts!;
        long cumulative = 0;
        for (var i = 0; i <= _bounds.Length; i++)
        {
            cumulative += counts[i];
            text.Append(Name).Append("_bucket{").Append(series.Labels).Append(",le=\"");
            text.AppendDouble(i < _bounds.Length ? _bounds[i] : double.PositiveInfinity).Append("\"} ").Append(cumulative).Append('\n');
        }

        text.Append(Name).Append("_sum{").Append(series.Labels).Append("} ").AppendDouble(series.Sum).Append('\n');
        text.Append(Name).Append("_count{").Append(series.Labels).Append("} ").Append(series.Count).Append('\n');
    }

    private void Observe(MetricSeries series, double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        // The first bucket whose bound is at or above the value (Prometheus's le: less than or equal).
        var bucket = 0;
        while (bucket < _bounds.Length && value > _bounds[bucket])
        {
            bucket++;
        }

        series.BucketCounts![bucket]++;
        series.Sum += value;
        series.Count++;
    }

    /// <summary>The series of <paramref name="tags"/> (in any order), created when new, the overflow series past the limit. Under the lock.</summary>
    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = Hash(tags);
        _byHash.TryGetValue(hash, out var first);
        for (var candidate = first; candidate is not null; candidate = candidate.NextWithSameHash)
        {
            if (SameTags(candidate.Tags, tags))
            {
                return candidate;
            }
        }

        if (_series.Count - (_overflow is null ? 0 : 1) >= MaxSeries - 1)
        {
            return _overflow ??= Add(new MetricSeries([], 0, _scopeLabel + ",otel_metric_overflow=\"true\"", Buckets));
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var labels = new StringBuilder(_scopeLabel);
        foreach (var (key, value) in sorted)
        {
            labels.Append(',').Append(PrometheusNames.Label(key)).Append("=\"").AppendLabelValue(PrometheusFormat.LabelValue(value)).Append('"');
        }

        var series = Add(new MetricSeries(sorted, hash, labels.ToString(), Buckets) { NextWithSameHash = first });
        _byHash[hash] = series;
        return series;
    }

    private int Buckets => Aggregation == MetricAggregation.Histogram ? _bounds.Length + 1 : 0;

    private MetricSeries Add(MetricSeries series)
    {
        _series.Add(series);
        return series;
    }

    /// <summary>Independent of the tags' order: the same tag set recorded in another order is the same series.</summary>
    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var (key, value) in tags)
        {
            hash += HashCode.Combine(key, value);
        }

        return hash;
    }

    private static bool SameTags(KeyValuePair<string, object?>[] kept, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (kept.Length != tags.Length)
        {
            return false;
        }

        foreach (var (key, value) in tags)
        {
            var found = false;
            foreach (var (keptKey, keptValue) in kept)
            {
                if (string.Equals(keptKey, key, StringComparison.Ordinal))
                {
                    found = Equals(keptValue, value);
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
