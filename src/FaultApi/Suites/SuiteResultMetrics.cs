using System.Diagnostics.Metrics;
using FaultApi.Metrics;
using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>
/// The suites' gauges on the API's meter, per suite name (unnamed suites have none), from the kept suite records so
/// every replica, and an API just restarted, exports the same values: <c>fault_api_suite_last_result{suite,verdict}</c>
/// (1 for the verdict of the suite of that name that ended last, 0 for the other verdicts) and
/// <c>fault_api_suite_last_success_timestamp_seconds{suite}</c> (when the last one that passed ended, Unix seconds; no
/// sample while no kept record of that name passed). Refreshed from the records every <c>Drills:LeaseDuration</c>
/// (<see cref="SuiteResumeHost"/>) and at once when a suite run here ends.
/// </summary>
public sealed class SuiteResultMetrics
{
    /// <summary>The verdicts a finished suite has.</summary>
    public static readonly SuiteState[] Verdicts = [SuiteState.Passed, SuiteState.Failed, SuiteState.Cancelled];

    private readonly Lock _lock = new();
    private readonly List<(long Mark, SuiteRecord Record)> _observedSinceRefresh = [];
    private Dictionary<string, SuiteResult> _results = new(StringComparer.Ordinal);
    private long _observations;

    public SuiteResultMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ApiMetrics.MeterName);
        meter.CreateObservableGauge(
            "fault_api.suite.last_result",
            () => Snapshot().SelectMany(r => Verdicts.Select(v => new Measurement<int>(r.Verdict == v ? 1 : 0, new KeyValuePair<string, object?>("suite", r.Name), new KeyValuePair<string, object?>("verdict", v.JsonName())))),
            description: "1 for the verdict (passed, failed, cancelled) of the last finished suite of each name, 0 for the others.");
        meter.CreateObservableGauge(
            "fault_api.suite.last_success_timestamp",
            () => Snapshot().Where(r => r.LastSuccess is not null).Select(r => new Measurement<double>(r.LastSuccess!.Value.ToUnixTimeMilliseconds() / 1000.0, new KeyValuePair<string, object?>("suite", r.Name))),
            unit: "s",
            description: "When the last suite of each name that passed ended (Unix time).");
    }

    /// <summary>The current results, one per suite name.</summary>
    public IReadOnlyList<SuiteResult> Snapshot()
    {
        lock (_lock)
        {
            return [.. _results.Values.OrderBy(r => r.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// The mark to pass to <see cref="Refresh"/>: take it BEFORE listing the records. A suite observed after it may have
    /// been saved after the listing read the store, so <see cref="Refresh"/> merges it again instead of putting back
    /// the older result the listing holds (a refresh racing a suite's end exported the previous verdict for a whole
    /// <c>Drills:LeaseDuration</c>).
    /// </summary>
    public long RefreshMark()
    {
        lock (_lock)
        {
            return _observations;
        }
    }

    /// <summary>
    /// Replaces the results with those of <paramref name="records"/> (every kept suite record, listed after
    /// <paramref name="mark"/> was taken by <see cref="RefreshMark"/>), plus every suite observed since that mark.
    /// </summary>
    public void Refresh(IEnumerable<SuiteRecord> records, long mark)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new Dictionary<string, SuiteResult>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            Merge(results, record);
        }

        lock (_lock)
        {
            // Observed at or before the mark: saved before the listing began, so the listing holds it.
            _observedSinceRefresh.RemoveAll(o => o.Mark <= mark);
            foreach (var (_, record) in _observedSinceRefresh)
            {
                Merge(results, record);
            }

            _results = results;
        }
    }

    /// <summary>Takes a suite that just ended (its record saved) into the results.</summary>
    public void Observe(SuiteRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            var results = new Dictionary<string, SuiteResult>(_results, StringComparer.Ordinal);
            Merge(results, record);
            _results = results;
            _observedSinceRefresh.Add((++_observations, record));
        }
    }

    private static void Merge(Dictionary<string, SuiteResult> results, SuiteRecord record)
    {
        if (string.IsNullOrEmpty(record.Name) || !record.IsFinal || record.EndedAt is not { } ended)
        {
            return;
        }

        var success = record.State == SuiteState.Passed ? ended : (DateTimeOffset?)null;
        if (!results.TryGetValue(record.Name, out var known))
        {
            results[record.Name] = new SuiteResult(record.Name, record.State, ended, success);
            return;
        }

        var lastSuccess = known.LastSuccess is null || (success is not null && success > known.LastSuccess) ? success ?? known.LastSuccess : known.LastSuccess;
        results[record.Name] = ended >= known.EndedAt
            ? new SuiteResult(record.Name, record.State, ended, lastSuccess)
            : known with { LastSuccess = lastSuccess };
    }
}
