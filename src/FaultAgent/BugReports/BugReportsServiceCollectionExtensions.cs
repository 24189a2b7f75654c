using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultAgent.BugReports;

public static class BugReportsServiceCollectionExtensions
{
    /// <summary>
    /// nvidia-bug-report collection: <see cref="BugReportCollector"/>, the scheduled collection, settings
    /// <c>Agent:BugReports</c> and <c>Agent:Tools</c>.
    /// </summary>
    public static IServiceCollection AddAgentBugReports(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
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
}
