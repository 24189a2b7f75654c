using FaultApi.EmergencyStop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

public static class DrillServiceCollectionExtensions
{
    /// <summary>Drills: <c>Drills:*</c> settings (validated at start), the ConfigMap store, the service, the host that resumes orphaned drills and prunes old records, the event streams' counts, and the emergency stop's cancellation of running drills.</summary>
    public static IServiceCollection AddDrills(this IServiceCollection services)
    {
        services.AddOptions<DrillOptions>().BindConfiguration(DrillOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DrillOptions>, DrillOptionsValidator>());
        services.TryAddSingleton<DrillStore>();
        services.TryAddSingleton<DrillEventFeed>();
        services.TryAddSingleton<DrillEventSubscriptions>();
        services.TryAddSingleton<DrillMetrics>();
        services.TryAddSingleton<RunningDrills>();
        services.TryAddSingleton<DrillCancellation>();
        services.TryAddSingleton<DrillInjection>();
        services.TryAddSingleton<DrillService>();
        services.AddSingleton<IEmergencyStopListener, DrillEmergencyStopListener>();
        services.AddHostedService<DrillResumeHost>();
        return services;
    }
}
