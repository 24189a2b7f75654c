using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FaultInjection.Metrics;

/// <summary>The scrape route both programs serve: <c>/metrics</c> from an <see cref="AppMetricsExporter"/>.</summary>
public static class MetricsScrapeEndpoint
{
    public const string Path = "/metrics";

    /// <summary>
    /// <c>/metrics</c> (every method, as OpenTelemetry's scraping endpoint was), without authentication (Prometheus scrapes
    /// without a token; no label carries a caller or token), computed fresh on every scrape, served as
    /// <c>text/plain; version=0.0.4</c>, or as OpenMetrics 1.0 to a scraper whose <c>Accept</c> asks for it (Prometheus
    /// does), as OpenTelemetry's exporter chose. A disabled exporter answers 404 (to anyone, like the route it stands for).
    /// </summary>
    public static IEndpointConventionBuilder MapMetricsScrape(this IEndpointRouteBuilder endpoints, AppMetricsExporter exporter)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(exporter);
        return endpoints.Map(Path, context =>
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
    }
}
