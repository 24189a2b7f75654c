using System.Diagnostics;
using System.Diagnostics.Metrics;
using FaultAgent.Registry;

namespace FaultAgent.Metrics;

/// <summary>
/// The agent's instruments (meter <see cref="MeterName"/>, exported by OpenTelemetry at <c>/metrics</c> on the HTTP
/// endpoint): injections by code, GPU and result, the kernel-log write+verify latency, active faults and registry size
/// (bug reports by status: <see cref="BugReports.BugReportCollector"/>, on the same meter).
/// </summary>
public sealed class AgentMetrics
{
    public const string MeterName = "FaultAgent";

    /// <summary>
    /// Bucket bounds in seconds of the write histogram: one injection takes about a millisecond (one fsync, one write,
    /// one read-back) and seconds only when the disk or the kernel log stalls. (OpenTelemetry's default bounds, 0, 5, 10,
    /// 25 ... 10000, are for milliseconds: every observation in seconds would land in the first bucket.)
    /// </summary>
    public static readonly IReadOnlyList<double> WriteDurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _injections;
    private readonly Histogram<double> _writeDuration;
    private readonly Counter<long> _telemetryErrors;

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
    }

    /// <summary>One injection's outcome (dry runs are not counted), labelled only with validated values.</summary>
    public void Injection(InjectionMetricLabels labels, string result)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _injections.Add(1, new TagList { { "kind", labels.Kind }, { "code", labels.Code }, { "gpu", labels.Gpu }, { "result", result } });
    }

    public void KernelLogWrite(TimeSpan elapsed, string result) =>
        _writeDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", result));

    public void TelemetryCollectionFailed(string query) => _telemetryErrors.Add(1, new KeyValuePair<string, object?>("query", query));
}
