using FaultAgent.Hosting;
using FaultAgent.Registry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Gpus;

public static class GpuDiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IGpuDiscovery"/>: <see cref="ProcGpuDiscovery"/> (the GPUs and NVSwitches under
    /// <see cref="AgentOptions.ProcRoot"/>) kept by <see cref="CachedGpuDiscovery"/> until the boot id or the driver's proc
    /// entries change (needs <see cref="IBootIdSource"/>, added here too), singletons; it tells each read to the
    /// <see cref="IGpuInventoryListener"/> if one is added, and reads once at start (<see cref="GpuInventoryAtStart"/>). <see cref="AgentOptions"/> must be
    /// bound by the caller.
    /// </summary>
    public static IServiceCollection AddGpuDiscovery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBootIdSource, ProcBootIdSource>();
        services.TryAddSingleton<ProcGpuDiscovery>();
        services.TryAddSingleton<IGpuDiscovery>(sp => new CachedGpuDiscovery(
            sp.GetRequiredService<ProcGpuDiscovery>(),
            sp.GetRequiredService<IBootIdSource>(),
            sp.GetRequiredService<IOptions<AgentOptions>>(),
            sp.GetRequiredService<ILogger<CachedGpuDiscovery>>(),
            sp.GetService<IGpuInventoryListener>()));
        services.AddHostedService(sp => new GpuInventoryAtStart(
            sp.GetRequiredService<IGpuDiscovery>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
