using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Faults;

/// <summary>The API in memory, the fake Kubernetes API server and three agents on real Kestrel at distinct loopback addresses.</summary>
public sealed class InjectionRoutingTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task InjectXid_SeedRequest_RoutesToTheTargetNodeAndReturnsKernelLogProof()
    {
        var response = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-002", gpu_id = 0 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("injected", body.GetProperty("status").GetString());
        Assert.Equal("gpu_xid_79", body.GetProperty("fault_type").GetString());
        Assert.Equal("gpu-node-002/gpu0", body.GetProperty("target").GetString());
        Assert.Equal("gpu-node-002", body.GetProperty("node_name").GetString());
        Assert.Equal("0000:3b:00.0", body.GetProperty("pci_bus_id").GetString());
        Assert.Equal("GPU-gpu-node-002-0", body.GetProperty("gpu_uuid").GetString());
        Assert.StartsWith("NVRM: Xid (PCI:0000:3b:00): 79, ", body.GetProperty("line").GetString(), StringComparison.Ordinal);
        Assert.Equal("fault-api/alice", body.GetProperty("caller").GetString());
        var record = Assert.Single(body.GetProperty("records").EnumerateArray());
        Assert.True(record.GetProperty("sequence").GetUInt64() > 0);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("fault_id").GetString()));
        Assert.Equal(1, _cluster.Agent("gpu-node-002").Service.WrittenLines);
        Assert.Equal(0, _cluster.Agent("gpu-node-001").Service.WrittenLines);
        Assert.Equal(0, _cluster.Agent("gpu-node-003").Service.WrittenLines);
        Assert.Contains("alice", _cluster.Agent("gpu-node-002").Service.Callers);
    }

    [Fact]
    public async Task InjectXid_AnyCatalogXidWithOptions_PassesThemToTheAgent()
    {
        var response = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-119", new { node_name = "gpu-node-001", gpu_id = 1, fault_id = "drill-119", duration = 30.5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("drill-119", body.GetProperty("fault_id").GetString());
        Assert.Equal("gpu_xid_119", body.GetProperty("fault_type").GetString());
        Assert.Equal("gpu-node-001/gpu1", body.GetProperty("target").GetString());
        var injected = body.GetProperty("injected_at").GetDateTimeOffset();
        var expires = body.GetProperty("expires_at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromSeconds(30.5), expires - injected);
    }

    [Fact]
    public async Task InjectSxid_NvSwitchTarget_RoutesAndNamesTheSwitchAndLink()
    {
        var response = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/sxid-12028", new { node_name = "gpu-node-003", nvswitch = 2, link = 7 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("nvswitch_sxid_12028", body.GetProperty("fault_type").GetString());
        Assert.Equal("gpu-node-003/nvswitch2/link7", body.GetProperty("target").GetString());
        Assert.Equal(1, _cluster.Agent("gpu-node-003").Service.WrittenLines);
    }

    [Fact]
    public async Task DryRun_ReturnsWhatWouldBeWritten_WritesNothing()
    {
        var response = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-48", new { node_name = "gpu-node-001", gpu_id = 0, dry_run = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("dry_run", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("dry_run").GetBoolean());
        Assert.Contains(": 48, ", body.GetProperty("line").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _cluster.Agent("gpu-node-001").Service.WrittenLines);
        var list = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults");
        Assert.Equal(0, list.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ListGetClearRecover_AcrossAgents_FindEachFaultOnItsNode()
    {
        Assert.Equal(HttpStatusCode.OK, (await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001", fault_id = "f-one" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-31", new { node_name = "gpu-node-003", fault_id = "f-three" })).StatusCode);

        var all = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults");
        Assert.Equal("f-one,f-three", string.Join(",", all.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("fault_id").GetString()).Order()));
        Assert.Empty(all.GetProperty("errors").EnumerateArray());
        var onThree = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults?node=gpu-node-003");
        Assert.Equal("f-three", Assert.Single(onThree.GetProperty("faults").EnumerateArray()).GetProperty("fault_id").GetString());

        var got = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults/f-three");
        Assert.Equal("gpu-node-003", got.GetProperty("node_name").GetString());
        Assert.Equal("active", got.GetProperty("status").GetString());

        var cleared = await _cluster.Client.DeleteAsync("/api/v1/faults/f-three");
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal("cleared", (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        var recovered = await _cluster.Client.PostAsync("/api/v1/faults/f-one/recover", null);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal("cleared", (await recovered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());

        var active = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults?active_only=true");
        Assert.Equal(0, active.GetProperty("count").GetInt32());
        var missing = await _cluster.Client.GetAsync("/api/v1/faults/f-nowhere");
        _ = await ProblemResponse.ReadAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Nodes_And_XidTypes_ComeFromTheAgents()
    {
        var nodes = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/nodes");
        Assert.Equal("gpu-node-001,gpu-node-002,gpu-node-003", string.Join(",", nodes.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("node_name").GetString())));
        var first = nodes.GetProperty("nodes")[0];
        Assert.Equal(2, first.GetProperty("gpus").GetArrayLength());
        Assert.Equal("true", first.GetProperty("labels").GetProperty("nvidia.com/gpu.present").GetString());
        Assert.Equal($"http://{_cluster.Addresses[0]}:{_cluster.AgentPort}/", first.GetProperty("agent_address").GetString());

        var catalog = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults/gpu/xid-types");
        Assert.Contains(catalog.GetProperty("xids").EnumerateArray(), x => x.GetProperty("xid").GetInt32() == 79);
        Assert.Contains(catalog.GetProperty("sxids").EnumerateArray(), x => x.GetProperty("sxid").GetInt32() == 12028);
    }

    [Fact]
    public async Task IdempotencyKey_Retry_ReturnsTheFirstResultAndWritesOnce()
    {
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(new { node_name = "gpu-node-001" }) };
        first.Headers.Add("Idempotency-Key", "drill-2026-11-23-a");
        using var second = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(new { node_name = "gpu-node-001" }) };
        second.Headers.Add("Idempotency-Key", "drill-2026-11-23-a");

        var a = await (await _cluster.Client.SendAsync(first)).Content.ReadFromJsonAsync<JsonElement>();
        var b = await (await _cluster.Client.SendAsync(second)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(a.GetProperty("fault_id").GetString(), b.GetProperty("fault_id").GetString());
        Assert.False(a.GetProperty("replayed").GetBoolean());
        Assert.True(b.GetProperty("replayed").GetBoolean());
        Assert.Equal(1, _cluster.Agent("gpu-node-001").Service.WrittenLines);
    }

    [Fact]
    public async Task LostResponse_GrpcRetryCarriesTheSameKey_WritesOnce()
    {
        var agent = _cluster.Agent("gpu-node-002").Service;
        agent.LoseResponses = 1;

        var response = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-002" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetBoolean());
        Assert.Equal(1, agent.WrittenLines);
        Assert.Equal(2, agent.InjectCalls);
    }

    [Fact]
    public async Task LostResponse_OnEveryAgent_EachAgentsChannelRetries_WritesOnceEach()
    {
        // Every agent's channel is built from the pool's one retry configuration: each must retry on its own.
        var nodes = new[] { "gpu-node-001", "gpu-node-002", "gpu-node-003" };
        foreach (var node in nodes)
        {
            _cluster.Agent(node).Service.LoseResponses = 1;
        }

        foreach (var node in nodes)
        {
            var response = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = node });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetBoolean());
            Assert.Equal(1, _cluster.Agent(node).Service.WrittenLines);
            Assert.Equal(2, _cluster.Agent(node).Service.InjectCalls);
        }
    }
}
