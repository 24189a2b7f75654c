using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace FaultInjection.Metrics;

/// <summary>
/// One app's Prometheus exporter, the agent's and the API's: a <see cref="MeterListener"/> over the meters named in
/// <c>meterNames</c> (the program's own, ASP.NET Core hosting's and Kestrel's) that aggregates every counter, up-down
/// counter, gauge, histogram and observable instrument itself (<see cref="InstrumentAggregate"/>) and writes them, fresh on
/// every scrape, in the text format OpenTelemetry's Prometheus exporter (1.20.1-beta.1) served before (same names,
/// HELP/TYPE lines, labels, <c>otel_scope_name</c> and <c>target_info</c>: the goldens
/// <c>tests/FaultAgent.Tests/TestData/metrics/agent-scrape.golden.txt</c> and
/// <c>tests/FaultApi.Tests/TestData/metrics/api-scrape.golden.txt</c>). It listens only to the meters of its own app: those
/// its app's <see cref="IMeterFactory"/> created (<see cref="Meter.Scope"/>), so in a process hosting several apps (the
/// tests' in-process agents and APIs, benchmarks/AgentFarm) each app's <c>/metrics</c> counts its own requests and no
/// other app's. (OpenTelemetry's MeterProvider subscribes by meter NAME: every same-named meter of the process fed it.)
/// </summary>
public sealed partial class AppMetricsExporter : IDisposable
{
    private readonly Lock _scrapeGate = new();
    private readonly Lock _aggregatesGate = new();
    private readonly Dictionary<string, InstrumentAggregate> _aggregates = new(StringComparer.Ordinal);
    private readonly string[] _meterNames;
    private readonly string _targetInfo;
    private readonly string _openMetricsTargetInfo;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMeterFactory _meterFactory;
    private readonly MeterListener? _listener;

    /// <param name="meterNames">The meters exported (of those <paramref name="meterFactory"/> creates).</param>
    /// <param name="meterFactory">The app's meter factory: only the meters it created are exported.</param>
    /// <param name="time">The clock of OpenMetrics's <c>_created</c> samples.</param>
    /// <param name="logger">Where a failing observable instrument is reported.</param>
    /// <param name="enabled">False: no listener, <see cref="Enabled"/> false (the scrape route answers 404).</param>
    public AppMetricsExporter(IEnumerable<string> meterNames, IMeterFactory meterFactory, TimeProvider time, ILogger logger, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _meterNames = [.. meterNames];
        _meterFactory = meterFactory;
        _time = time;
        _logger = logger;
        // OpenTelemetry's resource as its exporter wrote it for both programs (no OTEL_SERVICE_NAME/OTEL_RESOURCE_ATTRIBUTES
        // are set by the deployment): kept as it was, so the series stays the same for whatever joins on it.
        using var process = Process.GetCurrentProcess();
        var targetInfo = new StringBuilder("target_info{telemetry_sdk_name=\"opentelemetry\",telemetry_sdk_language=\"dotnet\",telemetry_sdk_version=\"1.20.1\",service_name=\"")
            .AppendLabelValue("unknown_service:" + process.ProcessName).Append("\"} 1\n").ToString();
        _targetInfo = "# TYPE target_info gauge\n# HELP target_info Target metadata\n" + targetInfo;
        _openMetricsTargetInfo = "# TYPE target info\n# HELP target Target metadata\n" + targetInfo;
        if (!enabled)
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
        // The app's own meters only: the program's and ASP.NET Core's hosting and Kestrel meters are all created by the
        // app's IMeterFactory, which makes itself their scope; another app's meters of the same names are not ours.
        if (!ReferenceEquals(instrument.Meter.Scope, _meterFactory) || Array.IndexOf(_meterNames, instrument.Meter.Name) < 0 || Aggregation(instrument) is not { } aggregation)
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
