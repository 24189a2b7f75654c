using FaultApi.Agents;
using FaultApi.Faults;
using FaultApi.Routing;
using FaultApi.Safety;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultApi.Hosting;

public static class RoutingServiceCollectionExtensions
{
    /// <summary>The agent directory (Kubernetes watch cache or static map), the agent clients, the blast-radius guard and its ledger, and the injector.</summary>
    public static IServiceCollection AddAgentRouting(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KubernetesConnection>();
        services.TryAddSingleton<IKubernetes>(sp => sp.GetRequiredService<KubernetesConnection>().Client);
        services.TryAddSingleton<KubernetesAgentDirectory>();
        services.TryAddSingleton<StaticAgentDirectory>();
        services.TryAddSingleton<IAgentDirectory>(sp => sp.GetRequiredService<IOptions<RoutingOptions>>().Value.Mode == RoutingMode.Static
            ? sp.GetRequiredService<StaticAgentDirectory>()
            : sp.GetRequiredService<KubernetesAgentDirectory>());
        services.AddHostedService<KubernetesAgentDirectoryHost>();
        services.TryAddSingleton<AgentRouter>();
        services.TryAddSingleton<AgentCredential>();
        services.TryAddSingleton<AgentClientPool>();
        services.TryAddSingleton<AgentCallMetrics>();
        services.TryAddSingleton<AgentCaller>();
        services.TryAddSingleton<AgentGateway>();
        services.TryAddSingleton<ConfigMapBlastRadiusLedgerStore>();
        services.TryAddSingleton<FileBlastRadiusLedgerStore>();
        services.TryAddSingleton<IBlastRadiusLedgerStore>(sp => sp.GetRequiredService<IOptions<RoutingOptions>>().Value.Mode == RoutingMode.Static
            ? sp.GetRequiredService<FileBlastRadiusLedgerStore>()
            : sp.GetRequiredService<ConfigMapBlastRadiusLedgerStore>());
        services.TryAddSingleton<BlastRadiusGuard>();
        services.TryAddSingleton<FaultInjector>();
        return services;
    }
}
