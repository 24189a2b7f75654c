using FaultApi.Drills;
using FaultApi.Routing;
using FaultApi.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Drills;

/// <summary>The drill records as ConfigMaps, through the real KubernetesClient and the fake API server: labels, leases, optimistic concurrency.</summary>
public sealed class DrillStoreTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly TestDirectory _directory = new();
    private FakeKubeApiServer _kube = null!;
    private Kubernetes _client = null!;
    private DrillStore _store = null!;

    public async Task InitializeAsync()
    {
        _kube = await FakeKubeApiServer.StartAsync();
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_kube.WriteKubeconfig(_directory.Path)));
        _store = new DrillStore(KubernetesConnection.Over(_client), Options.Create(new RoutingOptions { Namespace = "drills-ns" }));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _kube.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Replace_StaleVersion_ReturnsNullAndKeepsTheNewerWrite()
    {
        var created = await _store.CreateAsync(Drill("aaaaaaaaaaaaaaaa", "gpu-node-001"), "replica-a", Now, CancellationToken.None);

        var cancelled = created.Drill;
        cancelled.State = DrillState.Cancelled;
        var first = await _store.ReplaceAsync(created, cancelled, null, Now, CancellationToken.None);
        var stale = await _store.ReplaceAsync(created, Drill("aaaaaaaaaaaaaaaa", "gpu-node-001"), "replica-b", Now, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(stale);
        var stored = (await _store.GetAsync("aaaaaaaaaaaaaaaa", CancellationToken.None))!;
        Assert.Equal(DrillState.Cancelled, stored.Drill.State);
        Assert.Null(stored.Holder);
        Assert.True(stored.LeaseExpired(Now, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Create_WritesLabelsLeaseAndJson_ListFindsRunningOnes()
    {
        var created = await _store.CreateAsync(Drill("bbbbbbbbbbbbbbbb", "gpu-node-002"), "replica-a", Now, CancellationToken.None);
        var ended = await _store.CreateAsync(Drill("cccccccccccccccc", "gpu-node-003", DrillState.Passed), "replica-a", Now, CancellationToken.None);

        var map = _kube.Get<V1ConfigMap>("ConfigMap", "drills-ns", "drill-bbbbbbbbbbbbbbbb")!;
        Assert.Equal("fault-injection-api", map.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal("true", map.Metadata.Labels["fault-injection/drill"]);
        Assert.Equal("gpu-node-002", map.Metadata.Labels["fault-injection/node"]);
        Assert.Equal("running", map.Metadata.Labels["fault-injection/drill-state"]);
        Assert.Equal("replica-a", map.Metadata.Annotations["fault-injection/drill-holder"]);
        Assert.Contains("\"node_name\":\"gpu-node-002\"", map.Data["drill.json"], StringComparison.Ordinal);
        Assert.Equal("replica-a", created.Holder);
        Assert.False(created.LeaseExpired(Now.AddSeconds(29), TimeSpan.FromSeconds(30)));
        Assert.True(created.LeaseExpired(Now.AddSeconds(31), TimeSpan.FromSeconds(30)));
        Assert.Null(ended.Holder);

        Assert.Equal(["bbbbbbbbbbbbbbbb"], (await _store.ListAsync(runningOnly: true, CancellationToken.None)).Select(d => d.Drill.DrillId));
        Assert.Equal(2, (await _store.ListAsync(runningOnly: false, CancellationToken.None)).Count);
        await _store.DeleteAsync("bbbbbbbbbbbbbbbb", CancellationToken.None);
        Assert.Null(await _store.GetAsync("bbbbbbbbbbbbbbbb", CancellationToken.None));
        await _store.DeleteAsync("bbbbbbbbbbbbbbbb", CancellationToken.None);
    }

    private static DrillRecord Drill(string id, string node, DrillState state = DrillState.Running) => new()
    {
        DrillId = id,
        NodeName = node,
        Code = 79,
        Expect = ["cordon"],
        State = state,
        CreatedAt = Now,
        TimeoutSeconds = 60,
    };
}
