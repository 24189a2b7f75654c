using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultApi.BugReports;

public static class BugReportServiceCollectionExtensions
{
    /// <summary>The bug-report download streamer and the after-injection report starter; settings <c>BugReports</c>.</summary>
    public static IServiceCollection AddBugReports(this IServiceCollection services)
    {
        services.AddOptions<BugReportApiOptions>().BindConfiguration(BugReportApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BugReportDownloader>();
        services.TryAddSingleton<InjectionBugReportStarter>();
        return services;
    }
}
