using Microsoft.AspNetCore.Http;

namespace FaultAgent.Metrics;

/// <summary>
/// When the Kestrel endpoint <c>Metrics</c> is configured (the DaemonSet sets <c>Kestrel:Endpoints:Metrics:Url</c>, port
/// 8085), a connection to its port reaches <c>GET /metrics</c> and nothing else (404): the NetworkPolicy admits the
/// monitoring namespace to that port only, so a scraper can never reach the injection routes.
/// </summary>
public sealed class MetricsEndpointMiddleware(RequestDelegate next, int metricsPort)
{
    public const string EndpointName = "Metrics";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Connection.LocalPort == metricsPort && !context.Request.Path.Equals("/metrics", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }

    /// <summary>The port of <c>Kestrel:Endpoints:Metrics:Url</c>, or null when that endpoint is not configured.</summary>
    public static int? ConfiguredPort(string? url) =>
        url is { Length: > 0 } && Uri.TryCreate(url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.Port
            : null;
}
