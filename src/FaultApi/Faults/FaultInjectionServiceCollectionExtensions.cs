using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultApi.Faults;

public static class FaultInjectionServiceCollectionExtensions
{
    /// <summary>
    /// The injector behind the inject routes: node choice, the emergency stop and blast-radius checks, one agent call per
    /// node; and, only when <c>FAULT_API_PROFILE_FILE</c> is set (benchmarks), the phases of each injection (<see cref="InjectionProfile"/>).
    /// </summary>
    public static IServiceCollection AddFaultInjection(this IServiceCollection services)
    {
        services.TryAddSingleton<FaultInjector>();
        if (InjectionProfile.Enabled)
        {
            services.AddTransient<IStartupFilter, InjectionProfileStartupFilter>();
        }

        return services;
    }
}
