using FaultAgent.Gpus;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.Xids;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Hosting;

/// <summary>Registers the agent core: GPU discovery, the Xid catalog, the line builder, the host namespace and the kernel log.</summary>
public static class AgentCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IGpuDiscovery"/> (<see cref="ProcGpuDiscovery"/>, reads <see cref="AgentOptions.ProcRoot"/>, kept by
    /// <see cref="CachedGpuDiscovery"/> until the boot id or the driver's proc entries change; needs <see cref="IBootIdSource"/>),
    /// <see cref="XidCatalog"/>, <see cref="XidLineBuilder"/>, <see cref="IHostNamespace"/>
    /// (<see cref="HostMountNamespace"/>, enters the mount namespace of <see cref="AgentOptions.TargetPid"/>) and
    /// <see cref="IKernelLog"/> (<see cref="DevKmsgKernelLog"/>), all singletons, plus <see cref="TimeProvider.System"/>
    /// if none is registered. <see cref="AgentOptions"/> must be bound by the caller.
    /// </summary>
    public static IServiceCollection AddAgentCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(XidCatalog.Default);
        services.TryAddSingleton<XidLineBuilder>();
        services.TryAddSingleton<IBootIdSource, ProcBootIdSource>();
        services.TryAddSingleton<ProcGpuDiscovery>();
        services.TryAddSingleton<IGpuDiscovery>(sp => new CachedGpuDiscovery(
            sp.GetRequiredService<ProcGpuDiscovery>(),
            sp.GetRequiredService<IBootIdSource>(),
            sp.GetRequiredService<IOptions<AgentOptions>>(),
            sp.GetRequiredService<ILogger<CachedGpuDiscovery>>()));
        services.TryAddSingleton(sp => new HostMountNamespace(
            sp.GetRequiredService<IOptions<AgentOptions>>(),
            sp.GetRequiredService<ILogger<HostMountNamespace>>()));
        services.TryAddSingleton<IHostNamespace>(sp => sp.GetRequiredService<HostMountNamespace>());
        services.TryAddSingleton(sp => new DevKmsgKernelLog(
            sp.GetRequiredService<IHostNamespace>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DevKmsgKernelLog>>()));
        services.TryAddSingleton<IKernelLog>(sp => sp.GetRequiredService<DevKmsgKernelLog>());
        return services;
    }
}
