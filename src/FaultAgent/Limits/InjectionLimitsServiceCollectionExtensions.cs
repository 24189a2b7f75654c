using FaultAgent.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Limits;

public static class InjectionLimitsServiceCollectionExtensions
{
    /// <summary>The node's injection limits (<c>Agent:Limits</c>: rate, burst, open faults), asked by the injection pipeline.</summary>
    public static IServiceCollection AddInjectionLimits(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<InjectionLimitOptions>()
            .BindConfiguration(InjectionLimitOptions.SectionName)
            .ValidateAttributes<InjectionLimitOptions, InjectionLimitOptionsAttributeValidator>()
            .ValidateOnStart();
        services.TryAddSingleton<IInjectionLimiter, InjectionLimiter>();
        return services;
    }
}
