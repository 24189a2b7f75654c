using FaultAgent.Gpus;
using FaultAgent.Injection;
using FaultAgent.Registry;

namespace FaultAgent.Faults;

public static class FaultInjectionServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="FaultInjectionService"/> (validate, find the hardware, build the records) and the
    /// <see cref="InjectionPipeline"/> it writes through (admit, journal pending, write and read back, record), with the
    /// per-GPU preamble ledger (also told by the registry, at its start, which preambles this boot's faults wrote) and
    /// the board serials of the GPUs it holds due looked up ahead at each inventory read (<see cref="BoardSerialLookAhead"/>);
    /// <see cref="FaultRecordService"/> (get and clear recorded faults). Needs the registry, the kernel log, GPU discovery and the Xid catalog.
    /// </summary>
    public static IServiceCollection AddFaultInjection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<GpuPreambleLedger>();
        services.AddSingleton<IRecoveredFaultsListener>(provider => provider.GetRequiredService<GpuPreambleLedger>());
        services.AddSingleton<IGpuInventoryListener>(provider => new BoardSerialLookAhead(
            provider.GetRequiredService<GpuPreambleLedger>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetService<IGpuBoardInfoSource>()));
        services.AddSingleton<InjectionPipeline>();
        services.AddSingleton<FaultInjectionService>();
        services.AddSingleton<FaultRecordService>();
        return services;
    }
}
