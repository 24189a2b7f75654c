using FaultApi.EmergencyStop;
using FaultApi.Hosting;
using FaultApi.Routing;
using FaultApi.Tests.Infrastructure;
using k8s;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>The ConfigMap store through the real KubernetesClient against the fake API server (get, create, replace, 409).</summary>
public sealed class ConfigMapStopStateStoreTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly TestDirectory _directory = new();
    private FakeKubeApiServer _kube = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _kube = await FakeKubeApiServer.StartAsync();
        _client = new Kubernetes(KubernetesConnection.Configuration(new RoutingOptions { Kubeconfig = _kube.WriteKubeconfig(_directory.Path) }));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _kube.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Read_NoConfigMap_ReturnsNull()
    {
        Assert.Null(await NewStore().ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TryWrite_CreatesThenReplacesOverTheRevisionRead_AStaleRevisionWritesNothing()
    {
        var store = NewStore();

        var created = await store.TryWriteAsync(new StopState(true, "alice", At, "paged", 100), null, CancellationToken.None);
        Assert.NotNull(created);
        Assert.Null(await store.TryWriteAsync(new StopState(true, "carol", At, "second create", 101), null, CancellationToken.None));
        var replaced = await store.TryWriteAsync(new StopState(false, "bob", At.AddMinutes(1), "", 200), created, CancellationToken.None);
        Assert.NotNull(replaced);
        Assert.Null(await store.TryWriteAsync(new StopState(true, "carol", At, "stale", 300), created, CancellationToken.None));

        var read = await NewStore().ReadAsync(CancellationToken.None);
        Assert.Equal(new StopState(false, "bob", At.AddMinutes(1), "", 200), read!.State);
        Assert.Equal(replaced, read.Revision);
        Assert.Equal("false", _kube.GetConfigMap("fault-injection-system", "fault-injection-stop")!.Data["engaged"]);
        Assert.Equal(2, _kube.ConfigMapWrites);
    }

    [Fact]
    // Four writers over the same revision: exactly one wins, the others are told and wrote nothing.
    public async Task TryWrite_ConcurrentReplicasOverOneRevision_ExactlyOneWins()
    {
        var revision = await NewStore().TryWriteAsync(new StopState(false, "setup", At, "", 1), null, CancellationToken.None);

        var writes = await Task.WhenAll(Enumerable.Range(2, 4).Select(v => NewStore().TryWriteAsync(new StopState(v % 2 == 0, $"replica-{v}", At, "", v), revision, CancellationToken.None)));

        var winner = Assert.Single(writes, w => w is not null);
        var read = await NewStore().ReadAsync(CancellationToken.None);
        Assert.Equal(winner, read!.Revision);
        Assert.Equal(2, _kube.ConfigMapWrites);
    }

    [Fact]
    public async Task Read_GarbledConfigMap_SaysWhy_AndCanBeReplacedOverItsRevision()
    {
        var store = NewStore();
        var revision = await store.TryWriteAsync(new StopState(true, "alice", At, "paged", 100), null, CancellationToken.None);
        var map = _kube.GetConfigMap("fault-injection-system", "fault-injection-stop")!;
        map.Data["version"] = "9223372036854775808";
        _kube.Upsert(map);

        var read = await store.ReadAsync(CancellationToken.None);

        Assert.Null(read!.State);
        Assert.Contains("does not hold a valid stop state", read.Invalid, StringComparison.Ordinal);
        Assert.NotEqual(revision, read.Revision);
        Assert.NotNull(await store.TryWriteAsync(new StopState(true, "alice", At, "again", 101), read.Revision, CancellationToken.None));
    }

    private ConfigMapStopStateStore NewStore() =>
        new(_client, Options.Create(new StopOptions()), Options.Create(new RoutingOptions()));
}
