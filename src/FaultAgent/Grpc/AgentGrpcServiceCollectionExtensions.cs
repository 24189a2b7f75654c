using Grpc.AspNetCore.Server.Model;
using FaultAgent.Hosting;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;

namespace FaultAgent.Grpc;

public static class AgentGrpcServiceCollectionExtensions
{
    /// <summary>
    /// gRPC with domain errors mapped to statuses, server reflection, and the standard health service. A request message
    /// over 64 KiB (<see cref="AgentEndpoints.MaxRequestBodyBytes"/>) is refused with
    /// RESOURCE_EXHAUSTED before it is parsed.
    /// </summary>
    public static IServiceCollection AddAgentGrpc(this IServiceCollection services)
    {
        services.AddGrpc(options =>
        {
            options.Interceptors.Add<FaultErrorInterceptor>();
            options.MaxReceiveMessageSize = AgentEndpoints.MaxRequestBodyBytes;
        });
        // FaultAgent's RPCs bound without run-time generic dictionaries (see the provider); the default binder binds nothing for it.
        services.AddSingleton<IServiceMethodProvider<FaultAgentService>, FaultAgentServiceMethodProvider>();
        // The service and the interceptor are stateless over singletons: one of each for the process, which gRPC's activators
        // take from the container, instead of a new service (13 dependencies looked up, ActivatorUtilities' reflected
        // constructor) and a new interceptor built for every call and dropped after it (#14, BENCHMARKS.md "an InjectXid
        // call outside its handler").
        services.AddSingleton<FaultAgentService>();
        services.AddSingleton<FaultErrorInterceptor>();
        // Reflection lists the services named here (explicit descriptors: Native AOT-safe, unlike scanning the endpoints).
        services.AddSingleton(new ReflectionServiceImpl(
            FaultInjection.Agent.V1.FaultAgent.Descriptor,
            global::Grpc.Health.V1.Health.Descriptor,
            ServerReflection.Descriptor));
        services.AddGrpcHealthChecks().AddCheck<FaultRegistryHealthCheck>("fault-registry");
        return services;
    }
}
