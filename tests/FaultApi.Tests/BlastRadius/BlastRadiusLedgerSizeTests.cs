using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FaultApi.BlastRadius;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.BlastRadius;

/// <summary>
/// The blast-radius ledger's multi-node target records cannot outgrow the ConfigMap that holds them. Each record keeps
/// every node its request picked; with 1,000 records kept and nothing bounding their size, a caller sending multi-node
/// requests with distinct Idempotency-Keys (here each refused by every agent: nothing written, no node limit spent) grew
/// the ledger past the 1 MiB a ConfigMap may hold, and from then on every write of the ledger was refused by the
/// Kubernetes API (the fake server validates as the real one) and every multi-node request with a key — and, with a
/// limit set, every injection — was a 503. The oldest records now give way beyond <see cref="BlastRadiusGuard.MaxTargetBytes"/>.
/// </summary>
public sealed class BlastRadiusLedgerSizeTests : IAsyncLifetime
{
    private const int Nodes = 24;
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(Nodes, names: LongName);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>A node name of the longest kind Kubernetes allows: 253 characters, labels of at most 63.</summary>
    private static string LongName(int i)
    {
        var name = new StringBuilder($"gpu-node-{i + 1:000}");
        foreach (var label in "abcd")
        {
            name.Append('.');
            name.Append(label, Math.Min(63, 253 - name.Length));
        }

        return name.ToString();
    }

    private async Task<HttpResponseMessage> InjectAsync(string key, int count, int gpuId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79")
        {
            Content = JsonContent.Create(new { node_selector = "nvidia.com/gpu.present=true", count, gpu_id = gpuId }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await _cluster.Client.SendAsync(request);
    }

    [Fact]
    public async Task Inject_ManyMultiNodeRequestsWithDistinctKeys_LedgerStaysWithinItsBudget_AndTheNextMultiNodeRequestLands()
    {
        Assert.Equal(253, LongName(0).Length);

        // ~6.3 KB of node names a record: 200 of them would be ~1.3 MB. GPU 200 is on no node: every agent refuses.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            using var refused = await InjectAsync($"flood-{i}", Nodes, gpuId: 200);
            statuses.Add(refused.StatusCode);
        }

        using var landed = await InjectAsync("after-the-flood", Nodes, gpuId: 0);
        using var newestRetriedWithAnotherCount = await InjectAsync("flood-199", 1, gpuId: 0);
        using var oldestRetriedWithAnotherCount = await InjectAsync("flood-0", 1, gpuId: 0);

        var first503 = statuses.IndexOf(HttpStatusCode.ServiceUnavailable);
        Assert.True(first503 < 0, $"request {first503} and {statuses.Count(s => s == HttpStatusCode.ServiceUnavailable) - 1} later ones of {statuses.Count} answered 503");
        Assert.True(HttpStatusCode.OK == landed.StatusCode, $"{landed.StatusCode}: {await landed.Content.ReadAsStringAsync()}");
        var body = await landed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Nodes, body.GetProperty("faults").GetArrayLength());
        var ledger = _cluster.Kube.GetConfigMap(RealAgentCluster.Namespace, "fault-injection-blast-radius")!.Data[ConfigMapBlastRadiusLedgerStore.DataKey];
        Assert.InRange(Encoding.UTF8.GetByteCount(ledger), 1, BlastRadiusGuard.MaxTargetBytes);

        // The newest records are kept (a retry with another count is still told which nodes its key picked); the oldest gave way.
        Assert.Equal(HttpStatusCode.Conflict, newestRetriedWithAnotherCount.StatusCode);
        Assert.Equal("Idempotency-Key reused", (await newestRetriedWithAnotherCount.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, oldestRetriedWithAnotherCount.StatusCode);
    }
}
