using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using FaultInjection.TestSupport.Metrics;
using Grpc.Core;
using Grpc.Net.Client;

namespace FaultAgent.Tests.Metrics;

/// <summary>
/// The agent PROCESS's <c>GET /metrics</c> after a fixed sequence of requests (injections of two kinds on several GPUs
/// over HTTP and gRPC, a dry run, refusals, a clear, a listing, health, an unknown route, a scrape) has exactly the shape
/// of <c>TestData/metrics/agent-scrape.golden.txt</c>: the scrape main's agent served with OpenTelemetry's Prometheus
/// exporter (1.20.1-beta.1) for the same sequence (captured 2026-12-03 from the native agent of main 61caa8d). Metric
/// names, HELP/TYPE lines, suffixes, bucket bounds, label names and values, <c>otel_scope_name</c>, <c>target_info</c>
/// and every count must stay as they were: dashboards, alerts and the benchmark read them. The same for the OpenMetrics
/// answer a Prometheus gets (it asks for OpenMetrics first): <c>agent-scrape.openmetrics.golden.txt</c>.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentMetricsScrapeTests : IAsyncLifetime, IDisposable
{
    private readonly TestDirectory _directory = new();
    private TargetNamespaceProcess? _target;
    private AgentProcess? _agent;

    public async Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        _agent = await AgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-metrics",
            ["Agent:ProcRoot"] = TestProcRoot.Create(_directory.Path),
            ["Agent:TargetPid"] = _target.Pid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = _directory.Combine("state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),
        });
    }

    public async Task DisposeAsync()
    {
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
        var agent = _agent!;
        var run = Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient { BaseAddress = agent.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgentApplicationFactory.ApiToken);
        using var anonymous = new HttpClient { BaseAddress = agent.HttpAddress };
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var grpc = new AgentClient(channel);

        var first = await ExpectAsync(http.PostAsJsonAsync("/inject-xid", new { xid_type = 79, gpu_id = 0, message = $"golden a {run}" }), HttpStatusCode.OK);
        await ExpectAsync(http.PostAsJsonAsync("/inject-xid", new { xid_type = 48, gpu_id = 1, message = $"golden b {run}" }), HttpStatusCode.OK);
        await ExpectAsync(http.PostAsJsonAsync("/inject-xid", new { xid_type = 79, gpu_id = 1, dry_run = true }), HttpStatusCode.OK);
        await grpc.InjectXidAsync(new InjectXidRequest { Xid = 31, GpuId = 0, Message = $"golden c {run}" }, AgentApplicationFactory.Auth());
        await grpc.InjectSxidAsync(new InjectSxidRequest { Sxid = 12028, Nvswitch = 0, Link = 3 }, AgentApplicationFactory.Auth());
        await ExpectAsync(http.PostAsJsonAsync("/inject-xid", new { xid_type = 2000, gpu_id = 0 }), HttpStatusCode.BadRequest);
        await ExpectAsync(http.PostAsJsonAsync("/inject-xid", new { xid_type = 79, gpu_id = 99 }), HttpStatusCode.NotFound);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await grpc.InjectSxidAsync(new InjectSxidRequest { Sxid = 12028, Nvswitch = 9, Link = 0 }, AgentApplicationFactory.Auth()));
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        await ExpectAsync(anonymous.PostAsJsonAsync("/inject-xid", new { xid_type = 79, gpu_id = 0 }), HttpStatusCode.Unauthorized);
        var faultId = JsonDocument.Parse(first).RootElement.GetProperty("fault_id").GetString();
        await ExpectAsync(http.DeleteAsync(new Uri($"/faults/{faultId}", UriKind.Relative)), HttpStatusCode.OK);
        await ExpectAsync(http.GetAsync(new Uri("/faults", UriKind.Relative)), HttpStatusCode.OK);
        await ExpectAsync(anonymous.GetAsync(new Uri("/health", UriKind.Relative)), HttpStatusCode.OK);
        await ExpectAsync(anonymous.GetAsync(new Uri("/no-such-route", UriKind.Relative)), HttpStatusCode.Unauthorized);
        await ExpectAsync(anonymous.GetAsync(new Uri("/metrics", UriKind.Relative)), HttpStatusCode.OK);

        using var scrape = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Content.Headers.ContentType?.ToString());
        var golden = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "metrics", "agent-scrape.golden.txt"));
        Assert.Equal(golden, ScrapeShape.Of(text, Ports(agent)));

        // Prometheus asks for OpenMetrics first; what it stores (bucket bounds le="1.0", the _created series) comes from this answer.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", PrometheusAccept);
        using var openMetrics = await anonymous.SendAsync(request);
        var openMetricsText = await openMetrics.Content.ReadAsStringAsync();

        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores", openMetrics.Content.Headers.ContentType?.ToString());
        var openMetricsGolden = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "metrics", "agent-scrape.openmetrics.golden.txt"));
        Assert.Equal(openMetricsGolden, ScrapeShape.Of(openMetricsText, Ports(agent)));
    }

    private static Dictionary<int, string> Ports(AgentProcess agent) => new() { [agent.HttpAddress.Port] = "http", [agent.GrpcAddress.Port] = "grpc" };

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
