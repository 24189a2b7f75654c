using System.Net;
using System.Net.Http.Json;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Metrics;

/// <summary>
/// Two API apps in one process (as the tests host many): each app's <c>/metrics</c> counts its own requests and agent
/// calls and none of the other's. The exporter takes only the instruments its own app's meter factory created
/// (<c>Meter.Scope</c>); OpenTelemetry's MeterProvider, which exported the API's metrics until 2026-12-05, took every
/// same-named meter of the process, so the other app's requests were counted in both.
/// </summary>
public sealed class ApiMetricsIsolationTests : IDisposable
{
    private const string InjectRoute = "/api/v1/faults/gpu/inject/xid-{xid}";
    private readonly ApiApplicationFactory _busy = Api("gpu-node-busy");
    private readonly ApiApplicationFactory _idle = Api("gpu-node-idle");

    public void Dispose()
    {
        _busy.Dispose();
        _idle.Dispose();
    }

    [Fact]
    public async Task Scrape_AnotherApiAppInTheSameProcessServedRequests_CountsNoneOfThem()
    {
        using var busy = _busy.CreateAuthenticatedClient();
        using var idle = _idle.CreateAuthenticatedClient();
        Assert.Equal(HttpStatusCode.OK, (await idle.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);

        // The busy app: two health checks and three injections whose agent (nothing listens at its address) fails them. (Each
        // app's reconciler also reads its own agent's stop state once at its start: GetEmergencyStop, its own node.)
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            using var injected = await busy.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-busy", gpu_id = 0 });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, injected.StatusCode);
        }

        var busyScrape = PrometheusText.Parse(await ScrapeAsync(busy));
        var idleScrape = PrometheusText.Parse(await ScrapeAsync(idle));

        Assert.Equal(2, Requests(busyScrape, "/health"));
        Assert.Equal(3, Requests(busyScrape, InjectRoute));
        Assert.Equal(3, AgentCalls(busyScrape, "gpu-node-busy", "InjectXid"));
        Assert.Equal(1, Requests(idleScrape, "/health"));
        Assert.Equal(0, Requests(idleScrape, InjectRoute));
        Assert.Equal(0, AgentCalls(idleScrape, "gpu-node-busy", "InjectXid"));
    }

    private static ApiApplicationFactory Api(string node) => new(new Dictionary<string, string?>
    {
        ["Routing:Mode"] = "Static",
        // Nothing listens on port 1: every agent call fails at once.
        [$"Routing:Static:Nodes:{node}"] = "http://127.0.0.1:1",
        ["Stop:ReconcileIntervalSeconds"] = "3600",
    });

    private static double Requests(IReadOnlyList<PrometheusSample> scrape, string route) =>
        scrape.Where(s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == route).Sum(s => s.Value);

    private static double AgentCalls(IReadOnlyList<PrometheusSample> scrape, string node, string operation) =>
        scrape.Where(s => s.Name == "fault_api_agent_call_duration_seconds_count" && s.Labels.GetValueOrDefault("node") == node && s.Labels.GetValueOrDefault("operation") == operation).Sum(s => s.Value);

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
