using System.Diagnostics.Metrics;
using FaultInjection.Metrics;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultApi.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>The meters the API exports: its own (<see cref="ApiMetrics"/>), ASP.NET Core's hosting and Kestrel's.</summary>
    public static readonly IReadOnlyList<string> MeterNames = [ApiMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>
    /// <see cref="ApiMetrics"/> and the exporter of <c>/metrics</c>: the agent's (<see cref="AppMetricsExporter"/>, shared in
    /// src/FaultInjection.Metrics), over <see cref="MeterNames"/> of this app only (those its <see cref="IMeterFactory"/>
    /// created), aggregated by a <see cref="MeterListener"/> and written fresh on every scrape.
    /// </summary>
    public static IServiceCollection AddApiMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ApiMetrics>();
        services.TryAddSingleton(provider => new AppMetricsExporter(
            MeterNames,
            provider.GetRequiredService<IMeterFactory>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetRequiredService<ILogger<AppMetricsExporter>>()));
        return services;
    }

    /// <summary><c>GET /metrics</c> (<see cref="MetricsScrapeEndpoint.MapMetricsScrape"/>), without authentication like <c>/health</c> (Prometheus scrapes without a token; no secrets or callers in labels).</summary>
    public static IEndpointRouteBuilder MapApiMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The listener and the API's instruments exist from the start: every measurement is counted, and the first scrape
        // already lists them.
        var exporter = endpoints.ServiceProvider.GetRequiredService<AppMetricsExporter>();
        _ = endpoints.ServiceProvider.GetRequiredService<ApiMetrics>();
        endpoints.MapMetricsScrape(exporter);
        return endpoints;
    }
}
