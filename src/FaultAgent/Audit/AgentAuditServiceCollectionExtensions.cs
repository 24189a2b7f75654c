using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Audit;

public static class AgentAuditServiceCollectionExtensions
{
    /// <summary>The node's audit trail (<see cref="AgentAuditTrail"/>), read from the fault records and the emergency-stop history.</summary>
    public static IServiceCollection AddAgentAudit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<AgentAuditTrail>();
        return services;
    }
}
