using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Options;

namespace FaultAgent.Metrics;

/// <summary>
/// The agent's Prometheus exporter: a <see cref="MeterListener"/> over the meters <see cref="MeterNames"/> (the agent's
/// own, ASP.NET Core hosting's and Kestrel's) that aggregates every counter, up-down counter, gauge, histogram and
/// observable instrument itself (<see cref="InstrumentAggregate"/>) and writes them, fresh on every scrape, in the text format
/// OpenTelemetry's Prometheus exporter served before (same names, HELP/TYPE lines, labels, <c>otel_scope_name</c> and
/// <c>target_info</c>: <c>tests/FaultAgent.Tests/TestData/metrics/agent-scrape.golden.txt</c>). It listens only to the
/// meters of its own app: those its app's <see cref="IMeterFactory"/> created (<see cref="Meter.Scope"/>), so in a process
/// hosting several agent apps (the in-process test agents, benchmarks/AgentFarm) each app's <c>/metrics</c> counts its own
/// injections and requests and no other app's. (Until 2026-12-05 it subscribed by meter NAME, as OpenTelemetry's pipeline
/// does, and an agent app counted every same-process app's refusals as its own.)
/// </summary>
public sealed partial class AgentMetricsExporter : IDisposable
{
    public static readonly IReadOnlyList<string> MeterNames = [AgentMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    private readonly Lock _scrapeGate = new();
    private readonly Lock _aggregatesGate = new();
    private readonly Dictionary<string, InstrumentAggregate> _aggregates = new(StringComparer.Ordinal);
    private readonly string _targetInfo;
    private readonly string _openMetricsTargetInfo;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentMetricsExporter> _logger;
    private readonly IMeterFactory _meterFactory;
    private readonly MeterListener? _listener;

    public AgentMetricsExporter(IOptions<AgentMetricsOptions> options, ILogger<AgentMetricsExporter> logger, TimeProvider time, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _logger = logger;
        _time = time;
        _meterFactory = meterFactory;
        // OpenTelemetry's resource as its exporter wrote it for the agent (no OTEL_SERVICE_NAME/OTEL_RESOURCE_ATTRIBUTES
        // are set by the deployment): kept as it was, so the series stays the same for whatever joins on it.
        using var process = Process.GetCurrentProcess();
        var targetInfo = new StringBuilder("target_info{telemetry_sdk_name=\"opentelemetry\",telemetry_sdk_language=\"dotnet\",telemetry_sdk_version=\"1.20.1\",service_name=\"")
            .AppendLabelValue("unknown_service:" + process.ProcessName).Append("\"} 1\n").ToString();
        _targetInfo = "# TYPE target_info gauge\n# HELP target_info Target metadata\n" + targetInfo;
        _openMetricsTargetInfo = "# TYPE target info\n# HELP target Target metadata\n" + targetInfo;
        if (!options.Value.Enabled)
        {
            return;
        }

        _listener = new MeterListener { InstrumentPublished = Publish };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record((double)value, tags));
        _listener.Start();
    }

    public bool Enabled => _listener is not null;

    /// <summary>
    /// The scrape: observable instruments observed now, then every stream with a measurement, sorted by name, after
    /// <c>target_info</c>. One scrape at a time (observations of one scrape are not mixed with another's). In the
    /// Prometheus text format 0.0.4, or in OpenMetrics 1.0 (<see cref="InstrumentAggregate.WriteTo"/>, ending in
    /// <c># EOF</c>) for a scraper that asks for it, as Prometheus does: a Prometheus stores the same series from
    /// either answer as it stored from OpenTelemetry's (bucket bounds <c>le="1.0"</c>, <c>_created</c> series).
    /// </summary>
    public string Scrape(bool openMetrics = false)
    {
        var text = new StringBuilder(16 * 1024).Append(openMetrics ? _openMetricsTargetInfo : _targetInfo);
        if (_listener is null)
        {
            return text.Append(openMetrics ? "# EOF\n" : "").ToString();
        }

        lock (_scrapeGate)
        {
            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogObservationFailed(e);
            }

            InstrumentAggregate[] streams;
            lock (_aggregatesGate)
            {
                streams = [.. _aggregates.Values];
            }

            Array.Sort(streams, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var stream in streams)
            {
                stream.WriteTo(text, openMetrics);
            }
        }

        return text.Append(openMetrics ? "# EOF\n" : "").ToString();
    }

    public void Dispose() => _listener?.Dispose();

    private void Publish(Instrument instrument, MeterListener listener)
    {
        // The app's own meters only: the agent's (AgentMetrics) and ASP.NET Core's hosting and Kestrel meters are all created
        // by the app's IMeterFactory, which makes itself their scope; another app's meters of the same names are not ours.
        if (!ReferenceEquals(instrument.Meter.Scope, _meterFactory) || !MeterNames.Contains(instrument.Meter.Name) || Aggregation(instrument) is not { } aggregation)
        {
            return;
        }

        // Instruments of the same meter name, version, name and kind share one stream, as OpenTelemetry did.
        var key = $"{instrument.Meter.Name}\n{instrument.Meter.Version}\n{instrument.Name}\n{instrument.GetType().Name}";
        InstrumentAggregate stream;
        lock (_aggregatesGate)
        {
            if (!_aggregates.TryGetValue(key, out stream!))
            {
                var counter = aggregation is MetricAggregation.Counter or MetricAggregation.ObservedCounter;
                stream = new InstrumentAggregate(
                    PrometheusNames.Metric(instrument.Name, instrument.Unit, counter),
                    instrument.Description,
                    instrument.Meter.Name,
                    aggregation,
                    WholeNumbers(instrument),
                    HistogramBounds(instrument),
                    unitWord: PrometheusNames.UnitWord(instrument.Unit),
                    created: _time.GetUtcNow());
                _aggregates.Add(key, stream);
            }
        }

        listener.EnableMeasurementEvents(instrument, stream);
    }

    private static MetricAggregation? Aggregation(Instrument instrument)
    {
        if (!instrument.GetType().IsGenericType)
        {
            return null;
        }

        var kind = instrument.GetType().GetGenericTypeDefinition();
        return kind == typeof(Counter<>) ? MetricAggregation.Counter
            : kind == typeof(ObservableCounter<>) ? MetricAggregation.ObservedCounter
            : kind == typeof(UpDownCounter<>) ? MetricAggregation.UpDownCounter
            : kind == typeof(ObservableUpDownCounter<>) || kind == typeof(ObservableGauge<>) || kind == typeof(Gauge<>) ? MetricAggregation.LastValue
            : kind == typeof(Histogram<>) ? MetricAggregation.Histogram
            : null;
    }

    private static bool WholeNumbers(Instrument instrument)
    {
        var value = instrument.GetType().GetGenericArguments()[0];
        return value == typeof(long) || value == typeof(int) || value == typeof(short) || value == typeof(byte);
    }

    /// <summary>The bucket bounds the instrument advises (<see cref="InstrumentAdvice{T}"/>), else OpenTelemetry's defaults.</summary>
    private static double[]? HistogramBounds(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        _ => null,
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "An observable instrument failed while /metrics was scraped; the others were written")]
    private partial void LogObservationFailed(Exception exception);
}
