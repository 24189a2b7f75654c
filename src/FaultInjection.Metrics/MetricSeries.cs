namespace FaultInjection.Metrics;

/// <summary>
/// One series of a <see cref="InstrumentAggregate"/>: its tags (sorted by name), their label text, and its value — a whole
/// number, a double, or a histogram's bucket counts, sum and count. Read and written under the stream's lock only.
/// </summary>
public sealed class MetricSeries
{
    public MetricSeries(KeyValuePair<string, object?>[] tags, int hash, string labels, int buckets)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(labels);
        Tags = tags;
        Hash = hash;
        Labels = labels;
        BucketCounts = buckets > 0 ? new long[buckets] : null;
    }

    /// <summary>The tags this series was first recorded with, sorted by name (ordinal); empty for the overflow series.</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>The order-independent hash of <see cref="Tags"/> (<see cref="InstrumentAggregate"/>'s lookup).</summary>
    public int Hash { get; }

    /// <summary>The label pairs as written between the braces, without <c>le</c>.</summary>
    public string Labels { get; }

    /// <summary>The next series whose tags have the same <see cref="Hash"/>.</summary>
    public MetricSeries? NextWithSameHash { get; set; }

    public long LongValue { get; set; }

    public double DoubleValue { get; set; }

    /// <summary>Observations per bucket (not cumulative), the last one above every bound; null unless a histogram.</summary>
    public long[]? BucketCounts { get; }

    public double Sum { get; set; }

    public long Count { get; set; }
}
