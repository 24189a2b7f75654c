using FaultApi.Agents;
using FaultApi.Auth;
using FaultApi.Routing;
using FaultApi.Safety;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultApi.Hosting;

public static class ApiOptionsServiceCollectionExtensions
{
    /// <summary>Binds and validates (at start) the Routing, Agents, Auth and Safety settings.</summary>
    public static IServiceCollection AddApiOptions(this IServiceCollection services)
    {
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>());
        services.AddOptions<AgentsOptions>().BindConfiguration(AgentsOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => File.Exists(o.TokenFile), "Agents:TokenFile does not name an existing file.").ValidateOnStart();
        services.AddOptions<ApiAuthOptions>().BindConfiguration(ApiAuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiAuthOptions>, ApiAuthOptionsValidator>());
        services.AddOptions<SafetyOptions>().BindConfiguration(SafetyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
