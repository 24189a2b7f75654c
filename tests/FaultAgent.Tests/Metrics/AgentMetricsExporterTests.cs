using System.Diagnostics.Metrics;
using FaultAgent.Metrics;
using FaultInjection.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Metrics;

/// <summary>
/// The agent's exporter on its own: measurements recorded on many threads while it is scraped all add up, a scrape sees
/// what was recorded before it (observable instruments observed at the scrape), and an instrument's series are capped
/// at OpenTelemetry's default limit with one overflow series that keeps the total, and meters of the same name that
/// another app (another meter factory) or no app created are not its own. Each test records on a meter of the agent's
/// meter name created by the exporter's own meter factory, as the agent's <see cref="AgentMetrics"/> is.
/// </summary>
public sealed class AgentMetricsExporterTests : IDisposable
{
    private readonly ServiceProvider _app = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly Meter _meter;
    private readonly string _name = "fault_agent.test_" + Guid.NewGuid().ToString("N")[..8];
    private readonly AgentMetricsExporter _exporter;

    public AgentMetricsExporterTests()
    {
        var meterFactory = _app.GetRequiredService<IMeterFactory>();
        _meter = meterFactory.Create(AgentMetrics.MeterName);
        _exporter = new(Options.Create(new AgentMetricsOptions()), NullLogger<AgentMetricsExporter>.Instance, TimeProvider.System, meterFactory);
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _app.Dispose();
    }

    [Fact]
    public void Scrape_AnotherAppsMeterAndAnUnownedMeterOfTheSameName_CountsOnlyItsOwnAppsMeasurements()
    {
        using var otherApp = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var unowned = new Meter(AgentMetrics.MeterName);
        var own = _meter.CreateCounter<long>(_name + ".refusals", unit: "{injection}", description: "test");
        var others = otherApp.GetRequiredService<IMeterFactory>().Create(AgentMetrics.MeterName).CreateCounter<long>(_name + ".refusals", unit: "{injection}", description: "test");
        var unownedCounter = unowned.CreateCounter<long>(_name + ".refusals", unit: "{injection}", description: "test");
        var series = $"{_name.Replace('.', '_')}_refusals_total{{otel_scope_name=\"FaultAgent\",result=\"refused\"}}";

        own.Add(2, new KeyValuePair<string, object?>("result", "refused"));
        others.Add(5, new KeyValuePair<string, object?>("result", "refused"));
        unownedCounter.Add(7, new KeyValuePair<string, object?>("result", "refused"));
        var samples = ScrapeSamples.Parse(_exporter.Scrape());

        Assert.Equal(2, samples[series]);
    }

    [Fact]
    public async Task Scrape_WhileFourThreadsRecord_EveryCountAddsUp()
    {
        var counter = _meter.CreateCounter<long>(_name + ".events", unit: "{event}", description: "test events");
        var histogram = _meter.CreateHistogram<double>(_name + ".duration", unit: "s", description: "test durations", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1] });
        const int Threads = 4;
        const int PerThread = 20_000;
        var metric = _name.Replace('.', '_');
        using var stop = new CancellationTokenSource();
        using var scraping = new ManualResetEventSlim();
        var scrapes = 0;
        var scraper = Task.Run(() =>
        {
            double last = 0;
            while (!stop.IsCancellationRequested)
            {
                var samples = ScrapeSamples.Parse(_exporter.Scrape());
                var seen = samples.Total(metric + "_events_total{");
                Assert.True(seen >= last, $"the total went back from {last} to {seen}");
                var above = samples.Where(s => s.Key.StartsWith(metric + "_duration_seconds_bucket{", StringComparison.Ordinal) && s.Key.EndsWith("le=\"+Inf\"}", StringComparison.Ordinal)).Sum(s => s.Value);
                Assert.Equal(samples.Total(metric + "_duration_seconds_count{"), above);
                last = seen;
                scrapes++;
                scraping.Set();
            }
        });

        // The writers start once the scraper has scraped: every later write races a scrape.
        var writers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            scraping.Wait(TimeSpan.FromSeconds(30));
            for (var i = 0; i < PerThread; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("gpu", (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)), new KeyValuePair<string, object?>("result", "verified"));
                histogram.Record(i % 2 == 0 ? 0.0005 : 0.05, new KeyValuePair<string, object?>("result", "verified"));
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await scraper;

        var final = ScrapeSamples.Parse(_exporter.Scrape());
        Assert.True(scrapes > 1, $"{scrapes} scrapes");
        Assert.Equal(Threads * PerThread, final.Total(metric + "_events_total{"));
        Assert.Equal(3, final.Keys.Count(k => k.StartsWith(metric + "_events_total{", StringComparison.Ordinal)));
        Assert.Equal(Threads * PerThread, final[$"{metric}_duration_seconds_count{{otel_scope_name=\"FaultAgent\",result=\"verified\"}}"]);
        Assert.Equal(Threads * PerThread / 2, final[$"{metric}_duration_seconds_bucket{{otel_scope_name=\"FaultAgent\",result=\"verified\",le=\"0.001\"}}"]);
        Assert.Equal(Threads * PerThread / 2, final[$"{metric}_duration_seconds_bucket{{otel_scope_name=\"FaultAgent\",result=\"verified\",le=\"0.01\"}}"]);
        Assert.Equal(Threads * PerThread, final[$"{metric}_duration_seconds_bucket{{otel_scope_name=\"FaultAgent\",result=\"verified\",le=\"0.1\"}}"]);
        Assert.Equal(Threads * PerThread, final[$"{metric}_duration_seconds_bucket{{otel_scope_name=\"FaultAgent\",result=\"verified\",le=\"+Inf\"}}"]);
    }

    [Fact]
    public void Scrape_AfterARecordAndAnObservation_SeesBothAtOnce()
    {
        var open = 0;
        var counter = _meter.CreateCounter<long>(_name + ".injections", unit: "{injection}", description: "test");
        _meter.CreateObservableGauge(_name + ".open", () => open, unit: "{fault}", description: "test");
        var metric = _name.Replace('.', '_');

        counter.Add(1, new KeyValuePair<string, object?>("tag", "a"));
        open = 5;
        var first = ScrapeSamples.Parse(_exporter.Scrape());
        counter.Add(2, new KeyValuePair<string, object?>("tag", "a"));
        open = 7;
        var second = ScrapeSamples.Parse(_exporter.Scrape());

        Assert.Equal(1, first[$"{metric}_injections_total{{otel_scope_name=\"FaultAgent\",tag=\"a\"}}"]);
        Assert.Equal(5, first[$"{metric}_open{{otel_scope_name=\"FaultAgent\"}}"]);
        Assert.Equal(3, second[$"{metric}_injections_total{{otel_scope_name=\"FaultAgent\",tag=\"a\"}}"]);
        Assert.Equal(7, second[$"{metric}_open{{otel_scope_name=\"FaultAgent\"}}"]);
    }

    [Fact]
    public void Record_MoreTagSetsThanTheLimit_KeepsLimitSeriesAndTheTotalInTheOverflowSeries()
    {
        var counter = _meter.CreateCounter<long>(_name + ".labelled", unit: "{event}", description: "test");
        var metric = _name.Replace('.', '_') + "_labelled_total{";
        const int TagSets = InstrumentAggregate.DefaultMaxSeries + 500;
        for (var i = 0; i < TagSets; i++)
        {
            counter.Add(2, new KeyValuePair<string, object?>("code", i));
        }

        // A tag set that already has its own series keeps it past the limit.
        counter.Add(1, new KeyValuePair<string, object?>("code", 7));
        var samples = ScrapeSamples.Parse(_exporter.Scrape());
        var series = samples.Where(s => s.Key.StartsWith(metric, StringComparison.Ordinal)).ToList();

        Assert.Equal(InstrumentAggregate.DefaultMaxSeries, series.Count);
        Assert.Equal((2 * TagSets) + 1, series.Sum(s => s.Value));
        Assert.Equal(3, samples[metric + "otel_scope_name=\"FaultAgent\",code=\"7\"}"]);
        Assert.Equal(2 * (TagSets - (InstrumentAggregate.DefaultMaxSeries - 1)), samples[metric + "otel_scope_name=\"FaultAgent\",otel_metric_overflow=\"true\"}"]);
        Assert.DoesNotContain(metric + $"otel_scope_name=\"FaultAgent\",code=\"{InstrumentAggregate.DefaultMaxSeries - 1}\"}}", samples.Keys);
    }

    [Fact]
    public void Record_SameTagsInAnotherOrder_IsOneSeriesWithLabelsSortedByName()
    {
        var counter = _meter.CreateCounter<long>(_name + ".ordered", unit: "{event}", description: "test");
        var metric = _name.Replace('.', '_') + "_ordered_total{";

        counter.Add(1, new KeyValuePair<string, object?>("kind", "xid"), new KeyValuePair<string, object?>("code", "79"), new KeyValuePair<string, object?>("http.status", 200));
        counter.Add(1, new KeyValuePair<string, object?>("http.status", 200), new KeyValuePair<string, object?>("code", "79"), new KeyValuePair<string, object?>("kind", "xid"));
        var samples = ScrapeSamples.Parse(_exporter.Scrape());

        Assert.Equal(2, samples[metric + "otel_scope_name=\"FaultAgent\",code=\"79\",http_status=\"200\",kind=\"xid\"}"]);
    }
}
