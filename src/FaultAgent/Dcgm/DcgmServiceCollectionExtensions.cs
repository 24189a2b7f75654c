using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Dcgm;

/// <summary>Registers the DCGM surface: settings <c>Agent:Dcgm</c>, dcgmi on the host, the field catalog, the write ledger and restores.</summary>
public static class DcgmServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DcgmFieldCatalog"/>, <see cref="DcgmiClient"/>, <see cref="DcgmFieldWriter"/>,
    /// <see cref="DcgmWriteLedger"/>, <see cref="DcgmFaultService"/> and the <see cref="DcgmRestoreService"/>. Needs the host
    /// command runner (<see cref="HostProcesses.HostCommandRunnerServiceCollectionExtensions.AddHostCommandRunner"/>, added here too) and the fault injection pipeline.
    /// </summary>
    public static IServiceCollection AddDcgm(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHostCommandRunner();
        services.AddOptions<DcgmOptions>()
            .BindConfiguration(DcgmOptions.SectionName)
            .ValidateAttributes<DcgmOptions, DcgmOptionsAttributeValidator>()
            .ValidateOnStart();
        services.TryAddSingleton(DcgmFieldCatalog.Default);
        services.TryAddSingleton<DcgmiCommandLine>();
        services.TryAddSingleton<DcgmiClient>();
        services.TryAddSingleton<DcgmWriteLedger>();
        services.TryAddSingleton<DcgmFieldWriter>();
        services.TryAddSingleton<DcgmFaultService>();
        services.AddHostedService<DcgmRestoreService>();
        return services;
    }
}
