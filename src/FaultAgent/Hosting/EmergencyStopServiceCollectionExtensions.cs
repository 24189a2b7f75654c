using FaultAgent.Audit;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.EmergencyStop;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Hosting;

public static class EmergencyStopServiceCollectionExtensions
{
    /// <summary>
    /// The persisted emergency stop (<see cref="EmergencyStopStore"/>, also the injection pipeline's <see cref="IInjectionGuard"/>),
    /// the service that engages/releases it, the worker that keeps expiring active faults while it is engaged, and the
    /// node's audit trail.
    /// </summary>
    public static IServiceCollection AddEmergencyStop(this IServiceCollection services)
    {
        services.TryAddSingleton<EmergencyStopStore>();
        services.TryAddSingleton<IInjectionGuard>(sp => sp.GetRequiredService<EmergencyStopStore>());
        services.TryAddSingleton<EmergencyStopService>();
        services.AddHostedService<EmergencyStopExpiryService>();
        services.TryAddSingleton<AgentAuditTrail>();
        return services;
    }
}
