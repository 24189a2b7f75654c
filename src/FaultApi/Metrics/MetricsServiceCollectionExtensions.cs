using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace FaultApi.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary><see cref="ApiMetrics"/>, ASP.NET Core's and Kestrel's built-in meters, exported by OpenTelemetry as Prometheus text.</summary>
    public static IServiceCollection AddApiMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton<ApiMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ApiMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            // Every scrape is computed fresh: the exporter's default 300 ms response cache would hand a scrape that
            // follows a request the counters from before it (a drill or a test reading its own effect saw stale values).
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary><c>GET /metrics</c>, without authentication like <c>/health</c> (Prometheus scrapes without a token; no secrets or callers in labels).</summary>
    public static IEndpointRouteBuilder MapApiMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPrometheusScrapingEndpoint().AllowAnonymous();
        _ = endpoints.ServiceProvider.GetRequiredService<ApiMetrics>();
        return endpoints;
    }
}
