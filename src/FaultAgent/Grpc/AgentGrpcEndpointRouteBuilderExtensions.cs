using Grpc.Reflection;
using Microsoft.AspNetCore.Mvc;

namespace FaultAgent.Grpc;

public static class AgentGrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// FaultAgent (authenticated), grpc.health.v1.Health (anonymous: Kubernetes probes), reflection (authenticated).
    /// Their requests are bounded per message by gRPC's own limit (64 KiB, RESOURCE_EXHAUSTED, see
    /// <see cref="AgentGrpcServiceCollectionExtensions.AddAgentGrpc"/>) instead of Kestrel's body limit, which would end
    /// the call as UNKNOWN.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<FaultAgentService>().RequireAuthorization().WithMetadata(new DisableRequestSizeLimitAttribute());
        endpoints.MapGrpcHealthChecksService().AllowAnonymous().WithMetadata(new DisableRequestSizeLimitAttribute());
        endpoints.MapGrpcService<ReflectionServiceImpl>().RequireAuthorization().WithMetadata(new DisableRequestSizeLimitAttribute());
        return endpoints;
    }
}
