using System.Diagnostics.Metrics;
using FaultApi.EmergencyStop;
using FaultApi.Routing;

namespace FaultApi.Metrics;

/// <summary>
/// The API's meter (<see cref="MeterName"/>) and its gauges: the routing cache's size and watch restarts, and the
/// emergency stop. The features record their own instruments on the same meter (<c>AgentCallMetrics</c>,
/// <c>DrillMetrics</c>); HTTP requests by route and status come from ASP.NET Core's built-in
/// <c>http.server.request.duration</c>.
/// </summary>
public sealed class ApiMetrics
{
    public const string MeterName = "FaultApi";

    public ApiMetrics(IMeterFactory meterFactory, IAgentDirectory directory, IEmergencyStopSignal emergencyStop)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(emergencyStop);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("fault_api.routing.agents", () => directory.GetAll().Count, unit: "{agent}", description: "Routable agents in the routing cache.");
        meter.CreateObservableCounter(
            "fault_api.routing.watch_restarts",
            () => directory is KubernetesAgentDirectory kubernetes ? [new Measurement<long>(kubernetes.WatchRestarts)] : Array.Empty<Measurement<long>>(),
            unit: "{restart}",
            description: "Kubernetes pod and node watches restarted (ended, 410 Gone, failed).");
        meter.CreateObservableGauge("fault_api.emergency_stop.engaged", () => emergencyStop.Current.Engaged ? 1 : 0, description: "1 while the emergency stop is engaged.");
    }
}
