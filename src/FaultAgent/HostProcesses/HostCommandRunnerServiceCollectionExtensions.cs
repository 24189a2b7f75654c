using FaultAgent.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.HostProcesses;

public static class HostCommandRunnerServiceCollectionExtensions
{
    /// <summary>
    /// The host command runner (<see cref="NsenterHostCommandRunner"/>, settings <c>Agent:Tools</c>) that telemetry, bug
    /// reports and DCGM run their tools through; registered once however many features ask for it.
    /// </summary>
    public static IServiceCollection AddHostCommandRunner(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IHostCommandRunner)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<HostToolsOptions>()
            .BindConfiguration(HostToolsOptions.SectionName)
            .ValidateAttributes<HostToolsOptions, HostToolsOptionsAttributeValidator>()
            .ValidateOnStart();
        services.AddSingleton<IHostCommandRunner, NsenterHostCommandRunner>();
        return services;
    }
}
