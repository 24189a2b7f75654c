using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Routing;
using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Routing;

/// <summary>The routing cache against the fake Kubernetes API server: moves, drops, 410 re-lists, unready and missing agents.</summary>
public sealed class KubernetesRoutingTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Uri? AddressOf(string node) => _cluster.Directory.TryGetAgent(node, out var agent) ? agent.Address : null;

    private Task<HttpResponseMessage> InjectAsync(string node) =>
        _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = node, gpu_id = 0 });

    [Fact]
    public async Task Ready_AfterFirstSync_ReportsReadyWithAgents()
    {
        using var anonymous = _cluster.Api.CreateClient();
        var ready = await anonymous.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(2, (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("agents").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task PodMoved_NewPodIp_RoutesToTheNewAgent()
    {
        var moved = await TestAgent.StartAsync("gpu-node-001", _cluster.Addresses[2], _cluster.AgentPort, ApiApplicationFactory.AgentToken);
        _cluster.Agents.Add(moved);
        var old = _cluster.Agents[0];
        _cluster.Kube.Delete(_cluster.Pods["gpu-fault-injector-kernel-00000"]);
        _cluster.SetPod(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-new01", "gpu-node-001", _cluster.Addresses[2].ToString()));

        await Eventually.TrueAsync(() => AddressOf("gpu-node-001")?.Host == _cluster.Addresses[2].ToString(), "routing to the moved pod");
        var response = await InjectAsync("gpu-node-001");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, moved.Service.WrittenLines);
        Assert.Equal(0, old.Service.WrittenLines);
    }

    [Fact]
    public async Task PodUnready_ThenReady_RoutingFollows()
    {
        _cluster.SetPod(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-00001", "gpu-node-002", _cluster.Addresses[1].ToString(), ready: false));
        await Eventually.TrueAsync(() => AddressOf("gpu-node-002") is null, "the unready pod to leave routing");

        var refused = await InjectAsync("gpu-node-002");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("No agent on node", problem.GetProperty("title").GetString());
        Assert.Contains("gpu-node-002", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        _cluster.SetPod(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-00001", "gpu-node-002", _cluster.Addresses[1].ToString()));
        await Eventually.TrueAsync(() => AddressOf("gpu-node-002") is not null, "the ready pod to route again");
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync("gpu-node-002")).StatusCode);
    }

    [Fact]
    public async Task WatchDropped_Resumes_AndSeesLaterChanges()
    {
        var listsBefore = _cluster.Kube.PodListCount;
        await Eventually.TrueAsync(() => _cluster.Kube.ActiveWatches >= 2, "the pod and node watches to open");
        _cluster.Kube.DropWatches();
        _cluster.Kube.Upsert(FakeKubeApiServer.Node("gpu-node-009"));
        _cluster.SetPod(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-00009", "gpu-node-009", _cluster.Addresses[3].ToString()));

        await Eventually.TrueAsync(() => AddressOf("gpu-node-009") is not null, "the pod added while the watch was down");
        Assert.Equal(listsBefore, _cluster.Kube.PodListCount);
        Assert.True(_cluster.Kube.PodWatchCount >= 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WatchGone410_ReLists_AndSeesTheCurrentPods(bool goneAsHttpStatus)
    {
        _cluster.Kube.GoneAsHttpStatus = goneAsHttpStatus;
        var listsBefore = _cluster.Kube.PodListCount;
        await Eventually.TrueAsync(() => _cluster.Kube.ActiveWatches >= 2, "the pod and node watches to open");
        _cluster.Kube.DeleteUnannounced(_cluster.Pods["gpu-fault-injector-kernel-00001"]);
        _cluster.Kube.ExpireHistory();
        _cluster.Kube.DropWatches();

        await Eventually.TrueAsync(() => _cluster.Kube.PodListCount > listsBefore || !_cluster.Kube.Failures.IsEmpty, "a re-list after 410 Gone");
        Assert.Empty(_cluster.Kube.Failures);
        await Eventually.TrueAsync(() => AddressOf("gpu-node-002") is null, "the pod deleted unannounced to leave routing");
        Assert.NotNull(AddressOf("gpu-node-001"));
    }

    [Fact]
    public async Task UnknownNode_Is404_NodeWithoutAgent_Is503()
    {
        _cluster.Kube.Upsert(FakeKubeApiServer.Node("cpu-node-001", new Dictionary<string, string>()));
        await Eventually.TrueAsync(() => _cluster.Directory.NodeExists("cpu-node-001"), "the new node");

        var unknown = await InjectAsync("no-such-node");
        var noAgent = await InjectAsync("cpu-node-001");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Unknown node", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noAgent.StatusCode);
        Assert.Equal("cpu-node-001", (await noAgent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("node_name").GetString());
    }

    [Fact]
    public async Task OtherNamespaceOrLabel_IsNotAnAgent()
    {
        _cluster.Kube.Upsert(FakeKubeApiServer.Node("gpu-node-050"));
        _cluster.SetPod(FakeKubeApiServer.AgentPod("imposter", "gpu-node-050", _cluster.Addresses[3].ToString(), app: "something-else"));
        _cluster.SetPod(FakeKubeApiServer.AgentPod("elsewhere", "gpu-node-050", _cluster.Addresses[3].ToString(), ns: "default"));
        _cluster.Kube.Upsert(FakeKubeApiServer.Node("gpu-node-051"));
        _cluster.SetPod(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-00051", "gpu-node-051", _cluster.Addresses[3].ToString()));

        await Eventually.TrueAsync(() => AddressOf("gpu-node-051") is not null, "the labelled pod");
        Assert.Null(AddressOf("gpu-node-050"));
    }

    [Fact]
    public async Task AgentDown_AddressRefuses_Is503WithTheNode_AndListReportsItBesideTheOthers()
    {
        _cluster.Kube.Upsert(FakeKubeApiServer.Node("gpu-node-007"));
        _cluster.SetPod(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-00007", "gpu-node-007", _cluster.Addresses[3].ToString()));
        await Eventually.TrueAsync(() => AddressOf("gpu-node-007") is not null, "the pod of the dead agent");

        var down = await InjectAsync("gpu-node-007");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        var problem = await down.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Agent unavailable", problem.GetProperty("title").GetString());
        Assert.Equal("Unavailable", problem.GetProperty("grpc_status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001", fault_id = "visible" })).StatusCode);
        var list = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults");
        Assert.Equal("visible", Assert.Single(list.GetProperty("faults").EnumerateArray()).GetProperty("fault_id").GetString());
        var error = Assert.Single(list.GetProperty("errors").EnumerateArray());
        Assert.Equal("gpu-node-007", error.GetProperty("node_name").GetString());
        Assert.Equal(503, error.GetProperty("status").GetInt32());
    }

    [Fact]
    public void Directory_InKubernetesMode_IsTheWatchCache()
    {
        Assert.IsType<KubernetesAgentDirectory>(_cluster.Api.Services.GetRequiredService<IAgentDirectory>());
    }
}
