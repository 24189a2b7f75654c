using System.Text;

namespace FaultInjection.Metrics;

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
    /// <summary>OpenTelemetry's default cardinality limit per metric stream, which the agent's and the API's scrapes had.</summary>
    public const int DefaultMaxSeries = 2000;

    /// <summary>OpenTelemetry's default histogram bounds, for a histogram without bucket advice.</summary>
    public static readonly IReadOnlyList<double> DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly Lock _gate = new();
    private readonly Dictionary<int, MetricSeries> _byHash = [];
    private readonly List<MetricSeries> _series = [];
    private readonly string _scopeLabel;
    private readonly double[] _bounds;
    private readonly string _created;
    private MetricSeries? _overflow;

    public InstrumentAggregate(string name, string? help, string scopeName, MetricAggregation aggregation, bool wholeNumbers, IReadOnlyList<double>? bounds = null, int maxSeries = DefaultMaxSeries, string unitWord = "", DateTimeOffset created = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(scopeName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        Name = name;
        Help = help ?? "";
        Aggregation = aggregation;
        WholeNumbers = wholeNumbers;
        MaxSeries = maxSeries;
        UnitWord = unitWord;
        _created = new StringBuilder().AppendUnixSeconds(created).ToString();
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

    /// <summary>The unit as the name's last word (<c>seconds</c>), empty for none: OpenMetrics's <c># UNIT</c> line.</summary>
    public string UnitWord { get; }

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

    /// <summary>
    /// Appends <c># TYPE</c>, <c># HELP</c> and every series; nothing while no measurement was recorded. In OpenMetrics
    /// (what Prometheus asks for first) as OpenTelemetry's exporter wrote it: a counter's family named without
    /// <c>_total</c>, <c># UNIT</c>, whole bucket bounds as <c>1.0</c>, and a <c>_created</c> sample (the aggregate's
    /// start, Unix seconds) after each counter and histogram series.
    /// </summary>
    public void WriteTo(StringBuilder text, bool openMetrics = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            if (_series.Count == 0)
            {
                return;
            }

            var family = openMetrics && PrometheusType == "counter" && Name.EndsWith("_total", StringComparison.Ordinal) ? Name[..^"_total".Length] : Name;
            text.Append("# TYPE ").Append(family).Append(' ').Append(PrometheusType).Append('\n');
            if (openMetrics && UnitWord.Length > 0)
            {
                text.Append("# UNIT ").Append(family).Append(' ').Append(UnitWord).Append('\n');
            }

            if (Help.Length > 0)
            {
                text.Append("# HELP ").Append(family).Append(' ').AppendHelp(Help).Append('\n');
            }

            foreach (var series in _series)
            {
                if (Aggregation == MetricAggregation.Histogram)
                {
                    WriteHistogram(text, series, openMetrics);
                }
                else
                {
                    text.Append(Name).Append('{').Append(series.Labels).Append("} ");
                    _ = WholeNumbers ? text.Append(series.LongValue) : text.AppendDouble(series.DoubleValue);
                    text.Append('\n');
                }

                if (openMetrics && PrometheusType != "gauge")
                {
                    text.Append(family).Append("_created{").Append(series.Labels).Append("} ").Append(_created).Append('\n');
                }
            }
        }
    }

    private void WriteHistogram(StringBuilder text, MetricSeries series, bool openMetrics)
    {
        var counts = series.BucketCounts!;
        long cumulative = 0;
        for (var i = 0; i <= _bounds.Length; i++)
        {
            cumulative += counts[i];
            text.Append(Name).Append("_bucket{").Append(series.Labels).Append(",le=\"");
            var bound = i < _bounds.Length ? _bounds[i] : double.PositiveInfinity;
            _ = openMetrics ? text.AppendOpenMetricsBound(bound) : text.AppendDouble(bound);
            text.Append("\"} ").Append(cumulative).Append('\n');
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
