using FaultApi.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultApi.BlastRadius;

public static class BlastRadiusServiceCollectionExtensions
{
    /// <summary>
    /// The blast-radius guard: settings <c>Safety</c> (validated at start) and its ledger (a ConfigMap with Kubernetes
    /// routing, a file in static mode, <c>Safety:LedgerFile</c>).
    /// </summary>
    public static IServiceCollection AddBlastRadiusGuard(this IServiceCollection services)
    {
        services.AddOptions<BlastRadiusOptions>().BindConfiguration(BlastRadiusOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ConfigMapBlastRadiusLedgerStore>();
        services.TryAddSingleton<FileBlastRadiusLedgerStore>();
        services.TryAddSingleton<IBlastRadiusLedgerStore>(sp => sp.GetRequiredService<IOptions<RoutingOptions>>().Value.Mode == RoutingMode.Static
            ? sp.GetRequiredService<FileBlastRadiusLedgerStore>()
            : sp.GetRequiredService<ConfigMapBlastRadiusLedgerStore>());
        services.TryAddSingleton<BlastRadiusGuard>();
        return services;
    }
}
