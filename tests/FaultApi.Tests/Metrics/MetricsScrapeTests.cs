using System.Net;
using System.Net.Http.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Metrics;

/// <summary>
/// <c>/metrics</c> on a REAL agent process (over HTTP on its HTTP/1.1 endpoint) and on the API on real Kestrel, without a token, parsed as
/// Prometheus text, with the exact counts the test's own calls caused.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class MetricsScrapeTests : IAsyncLifetime, IDisposable
{
    private readonly string _runId = $"metrics{Guid.NewGuid():N}"[..18];
    private readonly TestDirectory _directory = new();
    private TargetNamespaceProcess _target = null!;
    private RealAgentProcess _agent = null!;
    private ApiApplicationFactory _api = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var address = LoopbackAddresses.Allocate(1)[0];
        var port = LoopbackAddresses.FreePort(address);
        var tokenFile = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        _target = new TargetNamespaceProcess();
        var state = Directory.CreateDirectory(_directory.Combine("state")).FullName;
        _agent = await RealAgentProcess.StartAsync("gpu-node-metrics", address, port, Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"), _target.Pid, state, tokenFile);
        _api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:gpu-node-metrics"] = _agent.GrpcAddress.ToString(),
            ["Stop:ReconcileIntervalSeconds"] = "3600",
        });
        _api.UseKestrel(0);
        _api.StartServer();
        _client = _api.CreateAuthenticatedClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        _target?.Dispose();
        _directory.Dispose();
    }

    public void Dispose()
    {
        _api?.Dispose();
        _directory.Dispose();
    }

    [RootFact]
    public async Task Metrics_AfterInjections_CountExactlyWhatHappened_OnAgentAndApi()
    {
        for (var i = 0; i < 2; i++)
        {
            var ok = await _client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-metrics", gpu_id = 3, message = $"m{i} {_runId}" });
            Assert.True(ok.StatusCode == HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        }

        var missing = await _client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-48", new { node_name = "gpu-node-metrics", gpu_id = 99 });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var dry = await _client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-metrics", gpu_id = 3, dry_run = true });
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);

        // The agent, scraped over HTTP without a token.
        using var http = new HttpClient { BaseAddress = _agent.HttpAddress };
        var agentResponse = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, agentResponse.StatusCode);
        var agent = PrometheusText.Parse(await agentResponse.Content.ReadAsStringAsync());
        Assert.Equal(2, agent.Value("fault_agent_injections_total", ("kind", "xid"), ("code", "79"), ("gpu", "3"), ("result", "verified")));
        // GPU 99 does not exist: the label says unknown, never a number a caller chose.
        Assert.Equal(1, agent.Value("fault_agent_injections_total", ("kind", "xid"), ("code", "48"), ("gpu", "unknown"), ("result", "refused")));
        Assert.Equal(0, agent.Value("fault_agent_injections_total", ("result", "dropped")));
        Assert.Equal(2, agent.Value("fault_agent_kernel_log_write_duration_seconds_count", ("result", "verified")));
        Assert.True(agent.Value("fault_agent_kernel_log_write_duration_seconds_sum", ("result", "verified")) > 0);
        Assert.Equal(2, agent.Value("fault_agent_faults_active"));
        Assert.Equal(2, agent.Value("fault_agent_registry_records"));
        // One after the other: each injection was its own group commit, one fsync of the journal each.
        Assert.Equal(2, agent.Value("fault_agent_journal_fsyncs_total"));
        Assert.Equal(2, agent.Value("fault_agent_injection_batch_size_count"));
        Assert.Equal(2, agent.Value("fault_agent_injection_batch_size_sum"));
        Assert.Equal(2, agent.Value("fault_agent_injection_batch_size_bucket", ("le", "1")));

        // The API, without a token either.
        using var anonymous = _api.CreateClient();
        Assert.NotEqual("localhost", anonymous.BaseAddress?.Host);
        var apiResponse = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, apiResponse.StatusCode);
        var api = PrometheusText.Parse(await apiResponse.Content.ReadAsStringAsync());
        Assert.Equal(3, api.Value("fault_api_agent_call_duration_seconds_count", ("node", "gpu-node-metrics"), ("operation", "InjectXid"), ("result", "OK")));
        Assert.Equal(1, api.Value("fault_api_agent_call_duration_seconds_count", ("node", "gpu-node-metrics"), ("operation", "InjectXid"), ("result", "NotFound")));
        Assert.Equal(3, api.Value("http_server_request_duration_seconds_count", ("http_route", "/api/v1/faults/gpu/inject/xid-{xid}"), ("http_response_status_code", "200")));
        Assert.Equal(1, api.Value("http_server_request_duration_seconds_count", ("http_route", "/api/v1/faults/gpu/inject/xid-{xid}"), ("http_response_status_code", "404")));
        Assert.Equal(1, api.Value("fault_api_routing_agents"));
        Assert.Equal(0, api.Value("fault_api_emergency_stop_engaged"));
    }
}
