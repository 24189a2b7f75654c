using System.Net;
using FaultApi.Routing;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A fake Kubernetes API server, one agent per GPU node on its own loopback address (all on the same agent gRPC port,
/// as a DaemonSet's pods are), the Node and agent Pod objects, and the real API app routing through the real
/// KubernetesClient via a kubeconfig written for the fake server.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(FakeKubeApiServer kube, int port, IPAddress[] addresses)
    {
        Kube = kube;
        AgentPort = port;
        Addresses = addresses;
    }

    private readonly TestDirectory _directory = new();

    public FakeKubeApiServer Kube { get; }

    public int AgentPort { get; }

    /// <summary>Loopback addresses reserved for this cluster (agents and spare ones for moved pods).</summary>
    public IPAddress[] Addresses { get; }

    public List<TestAgent> Agents { get; } = [];

    public Dictionary<string, V1Pod> Pods { get; } = new(StringComparer.Ordinal);

    public ApiApplicationFactory Api { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IAgentDirectory Directory => Api.Services.GetRequiredService<IAgentDirectory>();

    public TestAgent Agent(string node) => Agents.Single(a => a.Service.NodeName == node);

    /// <summary>Starts <paramref name="nodes"/> GPU nodes (gpu-node-001..., or <paramref name="names"/>) each with a ready agent, and the API.</summary>
    public static async Task<TestCluster> StartAsync(int nodes, Dictionary<string, string?>? settings = null, Func<int, IDictionary<string, string>>? labels = null, int spareAddresses = 2, Func<int, string>? names = null)
    {
        var kube = await FakeKubeApiServer.StartAsync();
        var addresses = LoopbackAddresses.Allocate(nodes + spareAddresses);
        var port = LoopbackAddresses.FreePortOnAll(addresses);
        var cluster = new TestCluster(kube, port, addresses);
        for (var i = 0; i < nodes; i++)
        {
            var name = names?.Invoke(i) ?? $"gpu-node-{i + 1:000}";
            cluster.Agents.Add(await TestAgent.StartAsync(name, addresses[i], port, ApiApplicationFactory.AgentToken));
            kube.Upsert(FakeKubeApiServer.Node(name, labels?.Invoke(i) ?? new Dictionary<string, string> { ["nvidia.com/gpu.present"] = "true", ["pool"] = i % 2 == 0 ? "even" : "odd" }));
            cluster.SetPod(FakeKubeApiServer.AgentPod($"gpu-fault-injector-kernel-{i:x5}", name, addresses[i].ToString()));
        }

        var all = new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Kubernetes",
            ["Routing:AgentGrpcPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        all["Routing:Kubeconfig"] = kube.WriteKubeconfig(cluster._directory.Path);
        cluster.Api = new ApiApplicationFactory(all);
        cluster.Client = cluster.Api.CreateAuthenticatedClient();
        await Eventually.TrueAsync(() => cluster.Directory.IsReady && cluster.Directory.GetAll().Count == nodes, "the routing cache's first sync");
        return cluster;
    }

    public void SetPod(V1Pod pod)
    {
        Pods[pod.Metadata.Name] = pod;
        Kube.Upsert(pod);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        foreach (var agent in Agents)
        {
            await agent.DisposeAsync();
        }

        await Kube.DisposeAsync();
        _directory.Dispose();
    }
}
