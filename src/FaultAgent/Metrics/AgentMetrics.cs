using System.Diagnostics;
using System.Diagnostics.Metrics;
using FaultAgent.Registry;

namespace FaultAgent.Metrics;

/// <summary>
/// The agent's instruments (meter <see cref="MeterName"/>, exported at <c>/metrics</c> by <see cref="AgentMetricsExporter"/> on the HTTP
/// endpoint): injections by code, GPU and result, the kernel-log write+verify latency, active faults and registry size, the
/// journal's fsyncs and the size of each group commit (bug reports by status: <see cref="BugReports.BugReportCollector"/>, on the same meter).
/// </summary>
public sealed class AgentMetrics
{
    public const string MeterName = "FaultAgent";

    /// <summary>
    /// Bucket bounds in seconds of the write histogram: one injection takes about a millisecond (one fsync, one write,
    /// one read-back) and seconds only when the disk or the kernel log stalls. (The exporter's default bounds, OpenTelemetry's 0, 5, 10,
    /// 25 ... 10000, are for milliseconds: every observation in seconds would land in the first bucket.)
    /// </summary>
    public static readonly IReadOnlyList<double> WriteDurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _injections;
    private readonly Histogram<double> _writeDuration;
    private readonly Counter<long> _telemetryErrors;
    private readonly Histogram<int> _batchSize;

    /// <summary>
    /// Bucket bounds of the group-commit histogram (injections whose pending entries shared one fsync): 1 is an injection
    /// that found no other queued; the batch is everything queued while the one before it was written.
    /// </summary>
    public static readonly IReadOnlyList<int> BatchSizeBuckets = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128];

    public AgentMetrics(IMeterFactory meterFactory, FaultRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _injections = meter.CreateCounter<long>(
            "fault_agent.injections",
            unit: "{injection}",
            description: "Injections by kind, code (Xid/SXid), gpu and result: verified (read back from /dev/kmsg), dropped (the kernel did not keep the record), outcome_unknown (a record may have landed, unprovably), partially_written (some records landed), refused (invalid, unknown hardware, conflicting, the emergency stop or a node limit), failed.");
        _writeDuration = meter.CreateHistogram<double>(
            "fault_agent.kernel_log.write.duration",
            unit: "s",
            description: "Time to journal, write and verify one injection's records in the kernel log.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteDurationBuckets });
        _telemetryErrors = meter.CreateCounter<long>("fault_agent.telemetry.errors", unit: "{error}", description: "nvidia-smi telemetry collections that failed.");
        meter.CreateObservableGauge("fault_agent.faults.active", () => registry.ActiveCount, unit: "{fault}", description: "Open faults on this node (active, outcome unknown, partially written).");
        meter.CreateObservableGauge("fault_agent.registry.records", () => registry.RecordCount, unit: "{record}", description: "Fault records kept by the registry (active and ended).");
        meter.CreateObservableCounter("fault_agent.journal.fsyncs", () => registry.JournalFsyncs, unit: "{fsync}", description: "Appends to the fault journal made durable (fsync'd) since the agent started: one per group commit of injections' pending entries, plus one per injection recorded as partially written or outcome unknown.");
        _batchSize = meter.CreateHistogram<int>(
            "fault_agent.injection.batch.size",
            unit: "{injection}",
            description: "Injections per group commit: pending entries journaled together with one fsync before their records are written.",
            tags: null,
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBuckets });
    }

    /// <summary>One injection's outcome (dry runs are not counted), labelled only with validated values.</summary>
    public void Injection(InjectionMetricLabels labels, string result)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _injections.Add(1, new TagList { { "kind", labels.Kind }, { "code", labels.Code }, { "gpu", labels.Gpu }, { "result", result } });
    }

    public void KernelLogWrite(TimeSpan elapsed, string result) =>
        _writeDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", result));

    /// <summary>One group commit: <paramref name="members"/> pending entries journaled with one fsync.</summary>
    public void GroupCommit(int members) => _batchSize.Record(members);

    public void TelemetryCollectionFailed(string query) => _telemetryErrors.Add(1, new KeyValuePair<string, object?>("query", query));
}
