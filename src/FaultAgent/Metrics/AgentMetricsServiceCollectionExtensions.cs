using FaultAgent.Hosting;
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
    /// <c>/metrics</c> (every method, as OpenTelemetry's scraping endpoint was), without authentication (Prometheus scrapes
    /// without a token; the metrics carry node, GPU and Xid numbers, never callers or tokens), computed fresh on every
    /// scrape, served as <c>text/plain; version=0.0.4</c>, or as OpenMetrics 1.0 to a scraper whose <c>Accept</c> asks for it (Prometheus does), as OpenTelemetry's exporter chose. Served on every endpoint; the DaemonSet's scrape annotation
    /// names the HTTP port. With <c>Agent:Metrics:Enabled=false</c> it answers 404 (to anyone, like the route it stands for).
    /// </summary>
    public static IEndpointRouteBuilder MapAgentMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The listener and the instruments exist from the start: every measurement is counted, and the first scrape
        // already lists them.
        var exporter = endpoints.ServiceProvider.GetRequiredService<AgentMetricsExporter>();
        _ = endpoints.ServiceProvider.GetRequiredService<AgentMetrics>();
        endpoints.Map("/metrics", context =>
        {
            if (!exporter.Enabled)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            var openMetrics = PrometheusFormat.WantsOpenMetrics(context.Request.Headers.Accept);
            context.Response.ContentType = openMetrics ? PrometheusFormat.OpenMetricsContentType : PrometheusFormat.ContentType;
            return context.Response.WriteAsync(exporter.Scrape(openMetrics), context.RequestAborted);
        }).AllowAnonymous();

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
