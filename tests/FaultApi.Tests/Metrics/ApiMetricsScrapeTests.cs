using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Metrics;

namespace FaultApi.Tests.Metrics;

/// <summary>
/// The API PROCESS's <c>GET /metrics</c> (<c>dotnet FaultApi.dll</c>, routing to a real agent process) after a fixed
/// sequence of requests (injections, a 404 from the agent, a dry run, a 400, a 401, a listing, a node listing, a clear,
/// health, readiness, an unknown route, a scrape) has exactly the shape of <c>TestData/metrics/api-scrape.golden.txt</c>:
/// the scrape main's API served with OpenTelemetry's Prometheus exporter (1.20.1-beta.1) for the same sequence (captured
/// 2026-12-05 from main 8484e6e). Names, HELP/TYPE lines, suffixes, bucket bounds, label names and values,
/// <c>otel_scope_name</c>, <c>target_info</c> and every count must stay as they were: dashboards, alerts and the
/// benchmark read them. The same for the OpenMetrics answer a Prometheus gets (it asks for OpenMetrics first):
/// <c>api-scrape.openmetrics.golden.txt</c>.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class ApiMetricsScrapeTests : IAsyncLifetime, IDisposable
{
    private const string Node = "gpu-node-golden";
    private readonly TestDirectory _directory = new();
    private TargetNamespaceProcess? _target;
    private RealAgentProcess? _agent;
    private FaultApiProcess? _api;

    public async Task InitializeAsync()
    {
        var address = LoopbackAddresses.Allocate(1)[0];
        var port = LoopbackAddresses.FreePort(address);
        var agentTokens = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(agentTokens, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        var agentToken = _directory.Combine("agent-token");
        await File.WriteAllTextAsync(agentToken, $"{ApiApplicationFactory.AgentToken}\n");
        var callerTokens = _directory.Combine("caller-tokens");
        await File.WriteAllTextAsync(callerTokens, $"alice:{ApiApplicationFactory.AliceToken}\n");
        _target = new TargetNamespaceProcess();
        var state = Directory.CreateDirectory(_directory.Combine("state")).FullName;
        _agent = await RealAgentProcess.StartAsync(Node, address, port, Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"), _target.Pid, state, agentTokens);
        _api = await FaultApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Routing:Mode"] = "Static",
            [$"Routing:Static:Nodes:{Node}"] = _agent.GrpcAddress.ToString(),
            ["Auth:TokenFile"] = callerTokens,
            ["Agents:TokenFile"] = agentToken,
            ["Stop:StateFile"] = _directory.Combine("stop-state.json"),
            ["Stop:ReconcileIntervalSeconds"] = "3600",
        });
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        _target?.Dispose();
    }

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task Scrape_AfterTheFixedSequence_HasTheGoldenShape()
    {
        var api = _api!;
        var run = Guid.NewGuid().ToString("N")[..8];
        using var client = api.CreateClient(ApiApplicationFactory.AliceToken);
        using var anonymous = new HttpClient { BaseAddress = api.Address };

        var first = await ExpectAsync(client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = Node, gpu_id = 3, message = $"golden a {run}" }), HttpStatusCode.OK);
        await ExpectAsync(client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-48", new { node_name = Node, gpu_id = 1, message = $"golden b {run}" }), HttpStatusCode.OK);
        await ExpectAsync(client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = Node, gpu_id = 3, dry_run = true }), HttpStatusCode.OK);
        await ExpectAsync(client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-48", new { node_name = Node, gpu_id = 99 }), HttpStatusCode.NotFound);
        await ExpectAsync(client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-2000", new { node_name = Node, gpu_id = 0 }), HttpStatusCode.BadRequest);
        await ExpectAsync(anonymous.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = Node, gpu_id = 0 }), HttpStatusCode.Unauthorized);
        await ExpectAsync(client.GetAsync(new Uri("/api/v1/faults", UriKind.Relative)), HttpStatusCode.OK);
        await ExpectAsync(client.GetAsync(new Uri("/api/v1/nodes", UriKind.Relative)), HttpStatusCode.OK);
        var faultId = JsonDocument.Parse(first).RootElement.GetProperty("fault_id").GetString();
        await ExpectAsync(client.DeleteAsync(new Uri($"/api/v1/faults/{faultId}", UriKind.Relative)), HttpStatusCode.OK);
        await ExpectAsync(anonymous.GetAsync(new Uri("/health", UriKind.Relative)), HttpStatusCode.OK);
        await ExpectAsync(anonymous.GetAsync(new Uri("/ready", UriKind.Relative)), HttpStatusCode.OK);
        await ExpectAsync(anonymous.GetAsync(new Uri("/no-such-route", UriKind.Relative)), HttpStatusCode.NotFound);
        await ExpectAsync(anonymous.GetAsync(new Uri("/metrics", UriKind.Relative)), HttpStatusCode.OK);

        using var scrape = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await scrape.Content.ReadAsStringAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", PrometheusAccept);
        using var openMetrics = await anonymous.SendAsync(request);
        var openMetricsText = await openMetrics.Content.ReadAsStringAsync();

        var capture = Environment.GetEnvironmentVariable("FAULT_API_METRICS_CAPTURE");
        if (!string.IsNullOrEmpty(capture))
        {
            Directory.CreateDirectory(capture);
            await File.WriteAllTextAsync(Path.Combine(capture, "raw.txt"), text);
            await File.WriteAllTextAsync(Path.Combine(capture, "raw.openmetrics.txt"), openMetricsText);
            await File.WriteAllTextAsync(Path.Combine(capture, "api-scrape.golden.txt"), ScrapeShape.Of(text, Ports(api)));
            await File.WriteAllTextAsync(Path.Combine(capture, "api-scrape.openmetrics.golden.txt"), ScrapeShape.Of(openMetricsText, Ports(api)));
            await File.WriteAllTextAsync(Path.Combine(capture, "headers.txt"), $"{scrape.Content.Headers.ContentType}\n{openMetrics.Content.Headers.ContentType}\n");
        }

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Content.Headers.ContentType?.ToString());
        var golden = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "metrics", "api-scrape.golden.txt"));
        Assert.Equal(golden, ScrapeShape.Of(text, Ports(api)));
        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores", openMetrics.Content.Headers.ContentType?.ToString());
        var openMetricsGolden = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "metrics", "api-scrape.openmetrics.golden.txt"));
        Assert.Equal(openMetricsGolden, ScrapeShape.Of(openMetricsText, Ports(api)));
        var (code, output) = await Promtool.RunAsync(text, "check", "metrics");
        Assert.True(code == 0 && output.Trim().Length == 0, $"promtool check metrics exited {code}:\n{output}");
    }

    private static Dictionary<int, string> Ports(FaultApiProcess api) => new() { [api.Address.Port] = "api" };

    /// <summary>The <c>Accept</c> header Prometheus 2.42 (Debian 12's) scrapes with.</summary>
    private const string PrometheusAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static async Task<string> ExpectAsync(Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return body;
    }
}
