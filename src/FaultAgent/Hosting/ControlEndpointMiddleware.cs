using System.Collections.Frozen;

namespace FaultAgent.Hosting;

/// <summary>
/// When the Kestrel endpoint <c>Control</c> is configured (the DaemonSet sets <c>Kestrel:Endpoints:Control:Url</c>, port
/// 8086), a connection to its port reaches the probes' gRPC health service and the emergency stop's two RPCs and nothing
/// else (404, to a gRPC client UNIMPLEMENTED), authenticated as on the Grpc endpoint. The endpoint has its own
/// <c>Agent:Http:MaxConnections</c>, so a flood that fills the Grpc and Http endpoints leaves the probes and the stop
/// reachable; of its room, ordinary traffic takes only the API replicas' connections for the stop (one each).
/// </summary>
public sealed class ControlEndpointMiddleware(RequestDelegate next, int controlPort)
{
    public const string EndpointName = "Control";

    /// <summary>The gRPC methods the Control endpoint serves.</summary>
    public static readonly FrozenSet<string> Paths = FrozenSet.Create(
        StringComparer.Ordinal,
        "/grpc.health.v1.Health/Check",
        "/grpc.health.v1.Health/Watch",
        "/faultinjection.agent.v1.FaultAgent/SetEmergencyStop",
        "/faultinjection.agent.v1.FaultAgent/GetEmergencyStop");

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Connection.LocalPort == controlPort && !Paths.Contains(context.Request.Path.Value ?? ""))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
