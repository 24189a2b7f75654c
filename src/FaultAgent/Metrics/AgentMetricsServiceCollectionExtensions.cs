using FaultAgent.Hosting;
using FaultInjection.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Metrics;

public static class AgentMetricsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="AgentMetrics"/> and the agent's own Prometheus exporter (<see cref="AgentMetricsExporter"/>: the agent's
    /// meter with ASP.NET Core's hosting and Kestrel meters, aggregated by a <see cref="System.Diagnostics.Metrics.MeterListener"/>);
    /// <c>Agent:Metrics:Enabled=false</c> (<see cref="AgentMetricsOptions"/>) leaves the listener out and <c>/metrics</c> answering 404.
    /// The scrape route is mapped by <see cref="MapAgentMetrics"/>.
    /// </summary>
    public static IServiceCollection AddAgentMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptions<AgentMetricsOptions>().BindConfiguration(AgentMetricsOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton<AgentMetrics>();
        services.TryAddSingleton<AgentMetricsExporter>();
        return services;
    }

    /// <summary>
    /// <c>/metrics</c> from the agent's exporter (<see cref="MetricsScrapeEndpoint.MapMetricsScrape"/>: every method, no
    /// authentication, fresh on every scrape, Prometheus text 0.0.4 or OpenMetrics 1.0 when the scraper's <c>Accept</c> asks
    /// for it). Served on every endpoint; the DaemonSet's scrape annotation names the HTTP port. With
    /// <c>Agent:Metrics:Enabled=false</c> it answers 404 (to anyone, like the route it stands for).
    /// </summary>
    public static IEndpointRouteBuilder MapAgentMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The listener and the instruments exist from the start: every measurement is counted, and the first scrape
        // already lists them.
        var exporter = endpoints.ServiceProvider.GetRequiredService<AgentMetricsExporter>();
        _ = endpoints.ServiceProvider.GetRequiredService<AgentMetrics>();
        endpoints.MapMetricsScrape(exporter.Exporter);
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
