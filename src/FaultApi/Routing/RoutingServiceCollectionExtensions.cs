using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultApi.Routing;

public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Which agent serves which node: settings <c>Routing</c> (validated at start), the Kubernetes connection, the agent
    /// directory (the Kubernetes watch cache, or the static map with <c>Routing:Mode=Static</c>) and the router.
    /// </summary>
    public static IServiceCollection AddAgentRouting(this IServiceCollection services)
    {
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KubernetesConnection>();
        services.TryAddSingleton<IKubernetes>(sp => sp.GetRequiredService<KubernetesConnection>().Client);
        services.TryAddSingleton<KubernetesAgentDirectory>();
        services.TryAddSingleton<StaticAgentDirectory>();
        services.TryAddSingleton<IAgentDirectory>(sp => sp.GetRequiredService<IOptions<RoutingOptions>>().Value.Mode == RoutingMode.Static
            ? sp.GetRequiredService<StaticAgentDirectory>()
            : sp.GetRequiredService<KubernetesAgentDirectory>());
        services.AddHostedService<AgentDirectoryHost>();
        services.TryAddSingleton<AgentRouter>();
        return services;
    }
}
