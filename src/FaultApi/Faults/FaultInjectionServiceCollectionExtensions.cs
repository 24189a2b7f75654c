using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultApi.Faults;

public static class FaultInjectionServiceCollectionExtensions
{
    /// <summary>The injector behind the inject routes: node choice, the emergency stop and blast-radius checks, one agent call per node.</summary>
    public static IServiceCollection AddFaultInjection(this IServiceCollection services)
    {
        services.TryAddSingleton<FaultInjector>();
        return services;
    }
}
