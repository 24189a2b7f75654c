using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Routing;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Suites;

/// <summary>
/// Two API replicas of the drill cluster over one namespace (<see cref="DrillCluster.NewApi"/>), both ready, and a GPU
/// node of their own that both route to: the suite takeover tests' start.
/// </summary>
public sealed class TwoReplicas : IAsyncDisposable
{
    private TwoReplicas(ApiApplicationFactory a, ApiApplicationFactory b)
    {
        A = a;
        B = b;
        ClientA = a.CreateAuthenticatedClient();
        ClientB = b.CreateAuthenticatedClient();
    }

    public ApiApplicationFactory A { get; }

    public ApiApplicationFactory B { get; }

    public HttpClient ClientA { get; }

    public HttpClient ClientB { get; }

    public string Node { get; private set; } = "";

    public static async Task<TwoReplicas> StartAsync(DrillCluster cluster, string ns, Dictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var replicas = new TwoReplicas(cluster.NewApi(ns, settings), cluster.NewApi(ns, settings));
        try
        {
            await Eventually.TrueAsync(async () => (await replicas.ClientA.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "replica A");
            await Eventually.TrueAsync(async () => (await replicas.ClientB.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "replica B");
            var node = await cluster.AddNodeAsync(ns: ns, api: replicas.A);
            var routingB = replicas.B.Services.GetRequiredService<IAgentDirectory>();
            await Eventually.TrueAsync(() => routingB.TryGetAgent(node, out _), $"replica B to route to {node}");
            replicas.Node = node;
            return replicas;
        }
        catch
        {
            await replicas.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a suite through replica A (202) and gives its id.</summary>
    public async Task<string> StartSuiteAsync(object body)
    {
        using var response = await ClientA.PostAsJsonAsync(new Uri("/api/v1/suites", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
    }

    /// <summary>True for a drill's record on <see cref="Node"/>.</summary>
    public bool DrillOnNode(V1ConfigMap configMap) =>
        configMap?.Metadata.Labels is { } labels && labels.TryGetValue(DrillStore.NodeLabel, out var labelled) && labelled == Node;

    /// <summary>The kernel lines of every fault the node's agent holds (one per injection), read through replica B.</summary>
    public async Task<IReadOnlyList<string>> FaultLinesAsync()
    {
        using var faults = await ClientB.GetAsync(new Uri($"/api/v1/faults?node={Node}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, faults.StatusCode);
        return [.. (await faults.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("line").GetString()!)];
    }

    public async ValueTask DisposeAsync()
    {
        ClientA.Dispose();
        ClientB.Dispose();
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
