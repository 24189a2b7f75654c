using FaultAgent.Grpc;

namespace FaultAgent.Hosting;

public static class AgentGrpcEndpointRouteBuilderExtensions
{
    /// <summary>FaultAgent (authenticated), grpc.health.v1.Health (anonymous: Kubernetes probes), reflection (authenticated).</summary>
    public static IEndpointRouteBuilder MapAgentGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<FaultAgentService>().RequireAuthorization();
        endpoints.MapGrpcHealthChecksService().AllowAnonymous();
        endpoints.MapGrpcReflectionService().RequireAuthorization();
        return endpoints;
    }
}
