using FaultAgent.Injection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.EmergencyStop;

public static class EmergencyStopServiceCollectionExtensions
{
    /// <summary>
    /// The persisted emergency stop (<see cref="EmergencyStopStore"/>, also the injection pipeline's <see cref="IInjectionGuard"/>),
    /// the service that engages/releases it, and the worker that keeps expiring active faults while it is engaged.
    /// </summary>
    public static IServiceCollection AddEmergencyStop(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<EmergencyStopStore>();
        services.TryAddSingleton<IInjectionGuard>(sp => sp.GetRequiredService<EmergencyStopStore>());
        services.TryAddSingleton<EmergencyStopService>();
        services.AddHostedService<EmergencyStopExpiryService>();
        return services;
    }
}
