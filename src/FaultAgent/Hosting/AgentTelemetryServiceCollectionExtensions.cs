using FaultAgent.BugReports;
using FaultAgent.HostProcesses;
using FaultAgent.Injection;
using FaultAgent.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Hosting;

/// <summary>
/// Registers GPU telemetry (nvidia-smi) and nvidia-bug-report collection, and the host command runner both use.
/// Expects <see cref="AgentOptions"/> to be bound (Agent section) by the agent's core registration.
/// </summary>
public static class AgentTelemetryServiceCollectionExtensions
{
    /// <summary>GPU telemetry: <see cref="GpuTelemetryService"/>, settings <c>Agent:Telemetry</c> and <c>Agent:Tools</c>.</summary>
    public static IServiceCollection AddAgentTelemetry(this IServiceCollection services)
    {
        services.AddHostCommandRunner();
        services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateAttributes<TelemetryOptions, TelemetryOptionsAttributeValidator>()
            .ValidateOnStart();
        services.TryAddSingleton<GpuTelemetryService>();
        services.TryAddSingleton<IGpuBoardInfoSource, NvidiaSmiBoardInfoSource>();
        return services;
    }

    /// <summary>
    /// nvidia-bug-report collection: <see cref="BugReportCollector"/>, the scheduled collection, settings
    /// <c>Agent:BugReports</c> and <c>Agent:Tools</c>.
    /// </summary>
    public static IServiceCollection AddAgentBugReports(this IServiceCollection services)
    {
        services.AddHostCommandRunner();
        services.AddOptions<BugReportOptions>()
            .BindConfiguration(BugReportOptions.SectionName)
            .ValidateAttributes<BugReportOptions, BugReportOptionsAttributeValidator>()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BugReportOptions>, BugReportOptionsValidator>());
        services.TryAddSingleton<BugReportCollector>();
        services.AddHostedService<ScheduledBugReportService>();
        return services;
    }

    private static void AddHostCommandRunner(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IHostCommandRunner)))
        {
            return;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<HostToolsOptions>()
            .BindConfiguration(HostToolsOptions.SectionName)
            .ValidateAttributes<HostToolsOptions, HostToolsOptionsAttributeValidator>()
            .ValidateOnStart();
        services.AddSingleton<IHostCommandRunner, NsenterHostCommandRunner>();
    }
}
