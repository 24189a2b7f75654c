using FaultAgent.Faults;
using FaultAgent.Injection;
using FaultAgent.Limits;
using FaultAgent.Registry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Hosting;

public static class FaultRegistryServiceCollectionExtensions
{
    /// <summary>
    /// The state directory's lock (taken by <see cref="StateDirectoryLockApplicationExtensions.LockStateDirectory"/>), the
    /// persisted registry of faults (loaded before serving), its expiry timer, the node's injection limits
    /// (<c>Agent:Limits</c>), and the injection service.
    /// </summary>
    public static IServiceCollection AddFaultRegistry(this IServiceCollection services)
    {
        services.AddOptions<InjectionLimitOptions>()
            .BindConfiguration(InjectionLimitOptions.SectionName)
            .ValidateAttributes<InjectionLimitOptions, InjectionLimitOptionsAttributeValidator>()
            .ValidateOnStart();
        services.TryAddSingleton<IInjectionLimiter, InjectionLimiter>();
        services.AddOptions<FaultRegistryOptions>()
            .BindConfiguration(FaultRegistryOptions.SectionName)
            .ValidateAttributes<FaultRegistryOptions, FaultRegistryOptionsAttributeValidator>()
            .ValidateOnStart();
        services.TryAddSingleton<StateDirectoryLock>();
        services.AddSingleton<IBootIdSource, ProcBootIdSource>();
        services.AddSingleton<IPendingInjectionResolver, KernelLogPendingResolver>();
        services.AddSingleton<FaultRegistry>();
        services.AddSingleton<InjectionPipeline>();
        services.AddHostedService<FaultRegistryInitializer>();
        services.AddHostedService<FaultExpiryService>();
        services.AddSingleton<GpuPreambleLedger>();
        services.AddSingleton<FaultInjectionService>();
        return services;
    }
}
