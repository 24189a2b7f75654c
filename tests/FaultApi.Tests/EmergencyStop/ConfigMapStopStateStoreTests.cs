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
        _client = new Kubernetes(RoutingServiceCollectionExtensions.BuildKubernetesConfiguration(new RoutingOptions { Kubeconfig = _kube.WriteKubeconfig(_directory.Path) }));
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
    public async Task Write_CreatesThenReplaces_AndAnOlderVersionLeavesTheNewer()
    {
        var store = NewStore();

        await store.WriteAsync(new StopState(true, "alice", At, "paged", 100), CancellationToken.None);
        await store.WriteAsync(new StopState(false, "bob", At.AddMinutes(1), "", 200), CancellationToken.None);
        var kept = await store.WriteAsync(new StopState(true, "carol", At, "late", 150), CancellationToken.None);

        Assert.Equal(200, kept.Version);
        var read = await NewStore().ReadAsync(CancellationToken.None);
        Assert.Equal(new StopState(false, "bob", At.AddMinutes(1), "", 200), read);
        var map = _kube.GetConfigMap("fault-injection-system", "fault-injection-stop")!;
        Assert.Equal("false", map.Data["engaged"]);
        Assert.Equal(2, _kube.ConfigMapWrites);
    }

    [Fact]
    // Four writers: each one loses at most three races, fewer than the store's attempts.
    public async Task Write_ConcurrentReplicas_TheHigherVersionWins()
    {
        await NewStore().WriteAsync(new StopState(false, "setup", At, "", 1), CancellationToken.None);

        var writes = Enumerable.Range(2, 4).Select(v => NewStore().WriteAsync(new StopState(v % 2 == 0, $"replica-{v}", At, "", v), CancellationToken.None));
        await Task.WhenAll(writes);

        var read = await NewStore().ReadAsync(CancellationToken.None);
        Assert.Equal(5, read!.Version);
        Assert.Equal("replica-5", read.ChangedBy);
    }

    private ConfigMapStopStateStore NewStore() =>
        new(_client, Options.Create(new StopOptions()), Options.Create(new RoutingOptions()));
}
