using System.Diagnostics;
using System.Diagnostics.Metrics;
using FaultApi.EmergencyStop;
using FaultApi.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Metrics;

/// <summary>
/// The API's own instruments (meter <see cref="MeterName"/>; HTTP requests by route and status come from ASP.NET Core's
/// built-in <c>http.server.request.duration</c>): agent call latency by node and result, the routing cache's size and watch
/// restarts, the emergency stop, and drills by verdict (<see cref="DrillCompleted"/>, for the drills feature).
/// </summary>
public sealed class ApiMetrics
{
    public const string MeterName = "FaultApi";

    /// <summary>
    /// Bucket bounds in seconds of the agent-call histogram: an injection answers in milliseconds, a telemetry read in
    /// tens to hundreds, a call that waits for its deadline in seconds (<c>Agents:CallTimeoutSeconds</c>, 15 by default).
    /// (OpenTelemetry's default bounds, 0, 5, 10 ... 10000, are for milliseconds.)
    /// </summary>
    public static readonly IReadOnlyList<double> AgentCallBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];

    private readonly Histogram<double> _agentCalls;
    private readonly Counter<long> _drills;

    public ApiMetrics(IMeterFactory meterFactory, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _agentCalls = meter.CreateHistogram<double>(
            "fault_api.agent.call.duration",
            unit: "s",
            description: "gRPC calls to agents by node, operation (the response type) and result (OK or the gRPC status).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AgentCallBuckets });
        _drills = meter.CreateCounter<long>("fault_api.drills", unit: "{drill}", description: "Drills finished, by verdict.");

        // Resolved when observed: the directory and the stop coordinator depend on the agent caller, which records here.
        meter.CreateObservableGauge("fault_api.routing.agents", () => services.GetRequiredService<IAgentDirectory>().GetAll().Count, unit: "{agent}", description: "Routable agents in the routing cache.");
        meter.CreateObservableCounter("fault_api.routing.watch_restarts", () => WatchRestarts(services), unit: "{restart}", description: "Kubernetes pod and node watches restarted (ended, 410 Gone, failed).");
        meter.CreateObservableGauge("fault_api.emergency_stop.engaged", () => services.GetRequiredService<IEmergencyStopSignal>().Current.Engaged ? 1 : 0, description: "1 while the emergency stop is engaged.");
    }

    public void AgentCall(string nodeName, string operation, string result, TimeSpan elapsed) =>
        _agentCalls.Record(elapsed.TotalSeconds, new TagList { { "node", nodeName }, { "operation", operation }, { "result", result } });

    /// <summary>For the drills feature: one drill finished with <paramref name="verdict"/> (e.g. passed, failed, cancelled).</summary>
    public void DrillCompleted(string verdict) => _drills.Add(1, new KeyValuePair<string, object?>("verdict", verdict));

    private static IEnumerable<Measurement<long>> WatchRestarts(IServiceProvider services) =>
        services.GetRequiredService<IAgentDirectory>() is KubernetesAgentDirectory kubernetes ? [new Measurement<long>(kubernetes.WatchRestarts)] : [];
}
