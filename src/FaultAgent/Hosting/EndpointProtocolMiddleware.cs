using Grpc.AspNetCore.Server;

namespace FaultAgent.Hosting;

/// <summary>
/// Each of the agent's endpoints serves only what it is for: an HTTP route (<c>/health</c>, <c>/inject-xid</c>,
/// <c>/faults</c>, <c>/metrics</c>) asked over HTTP/2 — that is, on the <c>Grpc</c> (or <c>Control</c>) endpoint, the
/// only HTTP/2 ones — and a gRPC method asked over HTTP/1.x — on the <c>Http</c> endpoint — are answered 404 before
/// authentication, so they cost no token check (in TokenReview mode no review) and write nothing. Before, the HTTP routes
/// also answered on the gRPC port, so a deployment that closed or did not expose 8083 still served them on 8084. The
/// <c>Metrics</c> endpoint keeps its own rule (<see cref="Metrics.MetricsEndpointMiddleware"/>) whatever its protocol.
/// (<paramref name="metricsPort"/> -1 when that endpoint is not configured.) A request no endpoint matched goes on (gRPC answers an unknown method UNIMPLEMENTED, routing an unknown path 404).
/// </summary>
public sealed class EndpointProtocolMiddleware(RequestDelegate next, int metricsPort)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint() is { } endpoint && context.Connection.LocalPort != metricsPort)
        {
            var grpcMethod = endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;
            var overHttp2 = HttpProtocol.IsHttp2(context.Request.Protocol);
            if (grpcMethod != overHttp2)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
        }

        return next(context);
    }
}
