using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using FaultAgent.Injection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Telemetry;

public static class GpuTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// GPU telemetry from nvidia-smi on the host: <see cref="GpuTelemetryService"/> and the board facts the Xid 79
    /// records quote (<see cref="NvidiaSmiBoardInfoSource"/>), settings <c>Agent:Telemetry</c> and <c>Agent:Tools</c>.
    /// </summary>
    public static IServiceCollection AddGpuTelemetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHostCommandRunner();
        services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateAttributes<TelemetryOptions, TelemetryOptionsAttributeValidator>()
            .ValidateOnStart();
        services.TryAddSingleton<GpuTelemetryService>();
        services.TryAddSingleton<IGpuBoardInfoSource, NvidiaSmiBoardInfoSource>();
        return services;
    }
}
