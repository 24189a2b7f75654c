using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultApi.Agents;

public static class AgentsServiceCollectionExtensions
{
    /// <summary>
    /// Calling the agents: settings <c>Agents</c> (validated at start; the token file must exist), the API's credential,
    /// one gRPC channel per agent (given up when the agent leaves the routing table: <see cref="AgentChannelCollector"/>,
    /// over <c>AddAgentRouting</c>'s directory), the call metric and <see cref="AgentGateway"/>, the typed operations every
    /// feature uses.
    /// </summary>
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddOptions<AgentsOptions>().BindConfiguration(AgentsOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => File.Exists(o.TokenFile), "Agents:TokenFile does not name an existing file.").ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AgentCredential>();
        services.TryAddSingleton<AgentClientPool>();
        services.AddHostedService<AgentChannelCollector>();
        services.TryAddSingleton<AgentCallMetrics>();
        services.TryAddSingleton<AgentCaller>();
        services.TryAddSingleton<AgentGateway>();
        return services;
    }
}
