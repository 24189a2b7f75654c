using FaultAgent.Grpc;

namespace FaultAgent.Hosting;

public static class AgentGrpcServiceCollectionExtensions
{
    /// <summary>
    /// gRPC with domain errors mapped to statuses, server reflection, and the standard health service. A request message
    /// over 64 KiB (<see cref="AgentHttpServiceCollectionExtensions.MaxRequestBodyBytes"/>) is refused with
    /// RESOURCE_EXHAUSTED before it is parsed.
    /// </summary>
    public static IServiceCollection AddAgentGrpc(this IServiceCollection services)
    {
        services.AddGrpc(options =>
        {
            options.Interceptors.Add<FaultErrorInterceptor>();
            options.MaxReceiveMessageSize = AgentHttpServiceCollectionExtensions.MaxRequestBodyBytes;
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<FaultRegistryHealthCheck>("fault-registry");
        return services;
    }
}
