using FaultApi.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultApi.EmergencyStop;

public static class EmergencyStopServiceCollectionExtensions
{
    /// <summary>
    /// The emergency stop: its settings (validated at start), the cluster store (ConfigMap with Kubernetes routing, the
    /// <c>Stop:StateFile</c> in static mode), the coordinator (also <see cref="IEmergencyStopSignal"/> for other features)
    /// and the reconciler that pushes the state to agents that miss it.
    /// </summary>
    public static IServiceCollection AddEmergencyStop(this IServiceCollection services)
    {
        services.AddOptions<StopOptions>().BindConfiguration(StopOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StopOptions>().Configure<IOptions<RoutingOptions>>((_, _) => { })
            .Validate<IOptions<RoutingOptions>>(
                (stop, routing) => routing.Value.Mode != RoutingMode.Static || !string.IsNullOrWhiteSpace(stop.StateFile),
                "Stop:StateFile is required with Routing:Mode=Static (the file that keeps the emergency stop across restarts).");
        services.TryAddSingleton<ConfigMapStopStateStore>();
        services.TryAddSingleton<FileStopStateStore>();
        services.TryAddSingleton<IStopStateStore>(sp => sp.GetRequiredService<IOptions<RoutingOptions>>().Value.Mode == RoutingMode.Static
            ? sp.GetRequiredService<FileStopStateStore>()
            : sp.GetRequiredService<ConfigMapStopStateStore>());
        services.TryAddSingleton<EmergencyStopCoordinator>();
        services.TryAddSingleton<IEmergencyStopSignal>(sp => sp.GetRequiredService<EmergencyStopCoordinator>());
        services.AddHostedService<EmergencyStopReconciler>();
        return services;
    }
}
