using FaultAgent.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.HostProcesses;

public static class HostCommandRunnerServiceCollectionExtensions
{
    /// <summary>
    /// The host command runner (<see cref="NsenterHostCommandRunner"/>, settings <c>Agent:Tools</c>) that telemetry, bug
    /// reports and DCGM run their tools through; registered once however many features ask for it. With it
    /// <see cref="HostCommandShutdown"/>, which kills every run still going when the agent stops.
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
        services.AddSingleton(sp => new HostCommandShutdown(sp.GetRequiredService<IHostApplicationLifetime>()));
        services.AddHostedService(sp => sp.GetRequiredService<HostCommandShutdown>());
        services.AddSingleton<IHostCommandRunner>(sp => new NsenterHostCommandRunner(
            sp.GetRequiredService<IOptions<AgentOptions>>(),
            sp.GetRequiredService<IOptions<HostToolsOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NsenterHostCommandRunner>>(),
            sp.GetRequiredService<HostCommandShutdown>()));
        return services;
    }
}
