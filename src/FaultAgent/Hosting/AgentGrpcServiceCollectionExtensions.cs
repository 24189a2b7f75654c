using FaultAgent.Grpc;

namespace FaultAgent.Hosting;

public static class AgentGrpcServiceCollectionExtensions
{
    /// <summary>gRPC with domain errors mapped to statuses, server reflection, and the standard health service.</summary>
    public static IServiceCollection AddAgentGrpc(this IServiceCollection services)
    {
        services.AddGrpc(options => options.Interceptors.Add<FaultErrorInterceptor>());
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<FaultRegistryHealthCheck>("fault-registry");
        return services;
    }
}
