using FaultAgent.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace FaultAgent.Metrics;

public static class AgentMetricsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="AgentMetrics"/> and the OpenTelemetry metrics pipeline exporting it (with ASP.NET Core's and Kestrel's
    /// built-in meters) in the Prometheus text format; the scrape route is mapped by <see cref="MapAgentMetrics"/>.
    /// </summary>
    public static IServiceCollection AddAgentMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton<AgentMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(AgentMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            // Every scrape is computed fresh: the exporter's default 300 ms response cache would hand a scrape that
            // follows a request the counters from before it (a drill or a test reading its own effect saw stale values).
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c>, without authentication (Prometheus scrapes without a token; the metrics carry node, GPU and
    /// Xid numbers, never callers or tokens). Served on every endpoint; the DaemonSet's scrape annotation names the HTTP port.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPrometheusScrapingEndpoint().AllowAnonymous();

        // The instruments exist from the start, so the first scrape already lists them.
        _ = endpoints.ServiceProvider.GetRequiredService<AgentMetrics>();
        return endpoints;
    }

    /// <summary>
    /// With a <c>Metrics</c> Kestrel endpoint configured, its port serves <c>GET /metrics</c> only
    /// (<see cref="MetricsEndpointMiddleware"/>); without one, nothing changes.
    /// </summary>
    public static IApplicationBuilder UseAgentMetricsEndpoint(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (MetricsEndpointMiddleware.ConfiguredPort(app.Configuration[$"Kestrel:Endpoints:{MetricsEndpointMiddleware.EndpointName}:Url"]) is { } port)
        {
            app.UseMiddleware<MetricsEndpointMiddleware>(port);
        }

        return app;
    }
}
