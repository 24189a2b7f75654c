using FaultApi.EmergencyStop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

public static class SuiteServiceCollectionExtensions
{
    /// <summary>Suites: <c>Suites:*</c> settings (validated at start), the ConfigMap store, the service, the host that resumes orphaned suites, prunes old records and exports the kept results (SuiteResultMetrics), the event stream, and the emergency stop's cancellation of running suites.</summary>
    public static IServiceCollection AddSuites(this IServiceCollection services)
    {
        services.AddOptions<SuiteOptions>().BindConfiguration(SuiteOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SuiteOptions>, SuiteOptionsValidator>());
        services.TryAddSingleton<SuiteStore>();
        services.TryAddSingleton<SuiteEventFeed>();
        services.TryAddSingleton<SuiteFaultCleaner>();
        services.TryAddSingleton<RunningSuites>();
        services.TryAddSingleton<SuiteCancellation>();
        services.TryAddSingleton<SuiteService>();
        services.TryAddSingleton<SuiteResultMetrics>();
        services.AddSingleton<IEmergencyStopListener, SuiteEmergencyStopListener>();
        services.AddHostedService<SuiteResumeHost>();
        return services;
    }
}
