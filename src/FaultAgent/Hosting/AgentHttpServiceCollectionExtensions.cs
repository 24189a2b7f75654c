using System.Text.Json;
using System.Text.Json.Serialization;
using FaultAgent.Http;

namespace FaultAgent.Hosting;

public static class AgentHttpServiceCollectionExtensions
{
    /// <summary>snake_case JSON (source-generated) for the agent's HTTP/1.1 routes.</summary>
    public static IServiceCollection AddAgentHttp(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, AgentHttpJsonContext.Default);
        });
        return services;
    }
}
