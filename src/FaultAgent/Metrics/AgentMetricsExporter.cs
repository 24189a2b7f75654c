using System.Diagnostics.Metrics;
using FaultInjection.Metrics;
using Microsoft.Extensions.Options;

namespace FaultAgent.Metrics;

/// <summary>
/// The agent's Prometheus exporter: the shared <see cref="AppMetricsExporter"/> (src/FaultInjection.Metrics, the API's
/// too) over the meters <see cref="MeterNames"/> (the agent's own, ASP.NET Core hosting's and Kestrel's) of its own app,
/// switched by <c>Agent:Metrics:Enabled</c> (<see cref="AgentMetricsOptions"/>). It writes the series OpenTelemetry's
/// Prometheus exporter served before (<c>tests/FaultAgent.Tests/TestData/metrics/agent-scrape.golden.txt</c>) and counts
/// only what its own app's <see cref="IMeterFactory"/> created (<see cref="Meter.Scope"/>), so in a process hosting several
/// agent apps (the in-process test agents, benchmarks/AgentFarm) each app's <c>/metrics</c> counts its own injections and
/// requests and no other app's. (Until 2026-12-05 it subscribed by meter NAME, as OpenTelemetry's pipeline does, and an
/// agent app counted every same-process app's refusals as its own.)
/// </summary>
public sealed class AgentMetricsExporter : IDisposable
{
    public static readonly IReadOnlyList<string> MeterNames = [AgentMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    public AgentMetricsExporter(IOptions<AgentMetricsOptions> options, ILogger<AgentMetricsExporter> logger, TimeProvider time, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        Exporter = new AppMetricsExporter(MeterNames, meterFactory, time, logger, options.Value.Enabled);
    }

    /// <summary>The exporter itself (what <c>/metrics</c> serves).</summary>
    public AppMetricsExporter Exporter { get; }

    public bool Enabled => Exporter.Enabled;

    /// <inheritdoc cref="AppMetricsExporter.Scrape"/>
    public string Scrape(bool openMetrics = false) => Exporter.Scrape(openMetrics);

    public void Dispose() => Exporter.Dispose();
}
