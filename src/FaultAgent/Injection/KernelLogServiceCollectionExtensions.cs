using FaultAgent.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Injection;

/// <summary>Registers what an injection writes and where: the line builder, the host's mount namespace and its kernel log.</summary>
public static class KernelLogServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="XidLineBuilder"/>, <see cref="IHostNamespace"/> (<see cref="HostMountNamespace"/>, enters the mount
    /// namespace of <see cref="AgentOptions.TargetPid"/>) and <see cref="IKernelLog"/> (<see cref="DevKmsgKernelLog"/>),
    /// all singletons, plus <see cref="TimeProvider.System"/> if none is registered. <see cref="AgentOptions"/> must be
    /// bound by the caller.
    /// </summary>
    public static IServiceCollection AddKernelLog(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<XidLineBuilder>();
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
