using FaultAgent.Faults;
using FaultAgent.Registry;

namespace FaultAgent.Hosting;

public static class FaultRegistryServiceCollectionExtensions
{
    /// <summary>The persisted registry of faults (loaded before serving), its expiry timer, and the injection service.</summary>
    public static IServiceCollection AddFaultRegistry(this IServiceCollection services)
    {
        services.AddOptions<FaultRegistryOptions>()
            .BindConfiguration(FaultRegistryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IBootIdSource, ProcBootIdSource>();
        services.AddSingleton<FaultRegistry>();
        services.AddHostedService<FaultRegistryInitializer>();
        services.AddHostedService<FaultExpiryService>();
        services.AddSingleton<FaultInjectionService>();
        return services;
    }
}
