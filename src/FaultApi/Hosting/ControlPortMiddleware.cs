using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaultApi.Hosting;

/// <summary>
/// On <c>Http:ControlPort</c> only the probes (<c>/health</c>, <c>/ready</c>) and the emergency stop
/// (<c>/api/v1/stop</c>: GET, POST, DELETE, authenticated as on the main port) answer; everything else is a 404 problem.
/// The port has its own <c>Http:MaxConnections</c>, so a flood of the main port leaves the stop and the probes reachable,
/// and nothing else can be called there to take its room with ordinary traffic.
/// </summary>
public sealed class ControlPortMiddleware(RequestDelegate next, IOptions<ApiHttpOptions> options)
{
    private readonly int? _controlPort = options.Value.ControlPort;

    public static bool Serves(PathString path) =>
        path.Equals("/health", StringComparison.Ordinal)
        || path.Equals("/ready", StringComparison.Ordinal)
        || path.Equals("/api/v1/stop", StringComparison.Ordinal)
        || path.Equals("/api/v1/stop/", StringComparison.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_controlPort is { } port && context.Connection.LocalPort == port && !Serves(context.Request.Path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
