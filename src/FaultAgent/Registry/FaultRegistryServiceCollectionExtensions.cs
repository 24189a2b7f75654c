using FaultAgent.Hosting;
using FaultAgent.Injection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Registry;

public static class FaultRegistryServiceCollectionExtensions
{
    /// <summary>
    /// The state directory's lock (taken by <see cref="StateDirectoryLockApplicationExtensions.LockStateDirectory"/>), the
    /// persisted registry of faults (<c>Agent:Registry</c>; loaded before serving, a crash's pending injections resolved
    /// against the kernel log) and its expiry timer.
    /// </summary>
    public static IServiceCollection AddFaultRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<FaultRegistryOptions>()
            .BindConfiguration(FaultRegistryOptions.SectionName)
            .ValidateAttributes<FaultRegistryOptions, FaultRegistryOptionsAttributeValidator>()
            .ValidateOnStart();
        services.TryAddSingleton<StateDirectoryLock>();
        services.TryAddSingleton<IBootIdSource, ProcBootIdSource>();
        services.AddSingleton<IPendingInjectionResolver, KernelLogPendingResolver>();
        services.AddSingleton<FaultRegistry>();
        services.AddHostedService<FaultRegistryInitializer>();
        services.AddHostedService<FaultExpiryService>();
        return services;
    }
}
