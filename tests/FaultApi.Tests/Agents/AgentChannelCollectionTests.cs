using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FaultApi.Agents;
using FaultApi.Tests.BugReports;
using FaultApi.Tests.Infrastructure;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Agents;

/// <summary>
/// The API gives up its channel to an agent that went away (<see cref="AgentChannelCollector"/>): the fake Kubernetes API
/// server's pod watch, through the real KubernetesClient and routing cache, into the API's real <see cref="AgentClientPool"/>.
/// Each waits for the pool's state (never a fixed time): the API's own background calls (the stop reconciler asks every
/// agent at start and every Stop:ReconcileIntervalSeconds) may hold a channel given up a moment longer, as any running
/// call does.
/// </summary>
public sealed class AgentChannelCollectionTests
{

    [Fact]
    public async Task PodDeleted_ItsChannelIsDisposed_TheOtherAgentsStays()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var pool = Pool(cluster);
        var gone = AddressOf(cluster, "gpu-node-001")!;
        var stays = AddressOf(cluster, "gpu-node-002")!;
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(cluster, "gpu-node-001")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(cluster, "gpu-node-002")).StatusCode);
        Assert.True(pool.Contains(gone) && pool.Contains(stays));
        var channel = PooledChannel(pool, gone);

        cluster.Kube.Delete(cluster.Pods["gpu-fault-injector-kernel-00000"]);

        await Eventually.TrueAsync(() => !pool.Contains(gone), "the deleted pod's channel to leave the pool");
        await Eventually.TrueAsync(() => channel.Disposed, "the deleted pod's channel to be disposed");
        Assert.True(pool.Contains(stays));
        Assert.False(PooledChannel(pool, stays).Disposed);
        Assert.Equal(1, pool.Count);
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(cluster, "gpu-node-002")).StatusCode);
    }

    [Fact]
    public async Task PodIpChanged_OldChannelDisposed_CallsGoToTheNewAddress()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var pool = Pool(cluster);
        var old = AddressOf(cluster, "gpu-node-001")!;
        var oldAgent = cluster.Agent("gpu-node-001");
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(cluster, "gpu-node-001")).StatusCode);
        var moved = await TestAgent.StartAsync("gpu-node-001", cluster.Addresses[2], cluster.AgentPort, ApiApplicationFactory.AgentToken);
        cluster.Agents.Add(moved);
        var channel = PooledChannel(pool, old);

        // The same pod, rescheduled at a new IP.
        cluster.SetPod(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-00000", "gpu-node-001", cluster.Addresses[2].ToString()));

        await Eventually.TrueAsync(() => !pool.Contains(old), "the old address's channel to leave the pool");
        await Eventually.TrueAsync(() => channel.Disposed, "the old address's channel to be disposed");
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(cluster, "gpu-node-001")).StatusCode);
        Assert.Equal(1, moved.Service.WrittenLines);
        Assert.Equal(1, oldAgent.Service.WrittenLines);
        Assert.True(pool.Contains(moved.Address));
        Assert.Equal(pool.Contains(AddressOf(cluster, "gpu-node-002")!) ? 2 : 1, pool.Count);
    }

    [Fact]
    public async Task PodDeletedDuringADownload_TheDownloadCompletes_ThenItsChannelIsDisposed()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var pool = Pool(cluster);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ArchiveDownloadAgentService(resumeAfterFirstChunk: resume.Task);
        await using var agent = await DownloadAgent.StartAsync(service, cluster.Addresses[2], cluster.AgentPort);
        cluster.Kube.Upsert(FakeKubeApiServer.Node("gpu-node-003"));
        var pod = FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-00002", "gpu-node-003", cluster.Addresses[2].ToString());
        cluster.SetPod(pod);
        await Eventually.TrueAsync(() => AddressOf(cluster, "gpu-node-003") is not null, "the downloading agent's pod to route");
        var address = AddressOf(cluster, "gpu-node-003")!;

        // The headers come once the API read the first chunk; the agent sends the rest only when resumed.
        using var response = await cluster.Client.GetAsync(new Uri("/api/v1/bug-reports/gpu-node-003/r1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var channel = PooledChannel(pool, address);
        cluster.Kube.Delete(pod);
        await Eventually.TrueAsync(() => !pool.Contains(address), "the deleted pod's channel to leave the pool");

        Assert.True(pool.Draining >= 1, $"{pool.Draining} channels draining");
        Assert.False(channel.Disposed);
        resume.SetResult();
        using var received = new MemoryStream();
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            await body.CopyToAsync(received);
        }

        Assert.True(received.ToArray().AsSpan().SequenceEqual(ArchiveDownloadAgentService.Archive), $"{received.Length} bytes differ from the agent's archive");
        await Eventually.TrueAsync(() => channel.Disposed, "the download's channel to be disposed once the download ended");
        Assert.Equal(1, service.Downloads);
    }

    [Fact]
    public async Task Rollouts_TenOfAHundredNodesEachCalled_PoolHoldsOnlyTheCurrentAgents()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var pool = Pool(cluster);
        const int Nodes = 100;
        const int Rollouts = 10;
        var pods = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        for (var i = 0; i < Nodes; i++)
        {
            cluster.Kube.Upsert(FakeKubeApiServer.Node(NodeName(i)));
        }

        var disposed = pool.DisposedChannels;
        for (var rollout = 0; rollout < Rollouts; rollout++)
        {
            // A DaemonSet rollout: each node's agent pod replaced by one at a new pod IP (never connected to: the calls
            // below only lease the pool's channel, as a call does before it sends).
            var addresses = new List<Uri>();
            for (var i = 0; i < Nodes; i++)
            {
                if (pods.TryGetValue(NodeName(i), out var old))
                {
                    cluster.Kube.Delete(old);
                }

                var ip = string.Create(CultureInfo.InvariantCulture, $"127.{101 + rollout}.0.{i + 1}");
                var pod = FakeKubeApiServer.AgentPod(string.Create(CultureInfo.InvariantCulture, $"gpu-fault-injector-kernel-r{rollout}-{i}"), NodeName(i), ip);
                pods[NodeName(i)] = pod;
                cluster.Kube.Upsert(pod);
                addresses.Add(new UriBuilder(Uri.UriSchemeHttp, ip, cluster.AgentPort).Uri);
            }

            await Eventually.TrueAsync(() => addresses.All(pool.Keeps) && Enumerable.Range(0, Nodes).All(i => AddressOf(cluster, NodeName(i)) == addresses[i]), $"rollout {rollout} to reach the routing table and the pool");
            foreach (var address in addresses)
            {
                using var lease = pool.Lease(address);
            }

            // Beside the channels of the cluster's own two agents, if the API called them.
            Assert.Equal(Nodes + cluster.Agents.Count(a => pool.Contains(a.Address)), pool.Count);
            await Eventually.TrueAsync(() => pool.Draining == 0, $"rollout {rollout}'s replaced channels to be disposed");
            Assert.True(pool.DisposedChannels >= disposed + (rollout * Nodes), $"{pool.DisposedChannels - disposed} channels disposed after rollout {rollout}");
            Assert.All(addresses, a => Assert.True(pool.Contains(a), $"{a} not pooled after rollout {rollout}"));
        }
    }

    [Fact]
    public async Task StopCalls_ToTheAgentsControlPort_ReuseOnePooledChannel()
    {
        // The agent's gRPC address and, on the same IP, a second agent standing in for its Control endpoint (the stop's calls go there).
        var address = LoopbackAddresses.Allocate(1)[0];
        await using var agent = await TestAgent.StartAsync("gpu-node-001", address, LoopbackAddresses.FreePort(address), ApiApplicationFactory.AgentToken);
        await using var control = await TestAgent.StartAsync("gpu-node-001", address, LoopbackAddresses.FreePort(address), ApiApplicationFactory.AgentToken);
        await using var api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:gpu-node-001"] = agent.Address.ToString(),
            ["Routing:AgentControlPort"] = control.Address.Port.ToString(CultureInfo.InvariantCulture),
        });
        using var client = api.CreateAuthenticatedClient();
        var pool = api.Services.GetRequiredService<AgentClientPool>();

        for (var i = 0; i < 3; i++)
        {
            using var stop = await client.GetAsync(new Uri("/api/v1/stop", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        }

        // Before, the control address was outside the kept table: each stop call (and each reconciler round) built a channel
        // for itself and disposed it.
        Assert.True(pool.Contains(control.Address));
        Assert.False(PooledChannel(pool, control.Address).Disposed);
        Assert.Equal(0, pool.DisposedChannels);
    }

    private static AgentClientPool Pool(TestCluster cluster) => cluster.Api.Services.GetRequiredService<AgentClientPool>();

    private static Uri? AddressOf(TestCluster cluster, string node) => cluster.Directory.TryGetAgent(node, out var agent) ? agent.Address : null;

    private static Task<HttpResponseMessage> InjectAsync(TestCluster cluster, string node) =>
        cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = node, gpu_id = 0 });

    /// <summary>The pool's channel to <paramref name="address"/> (pooled: the lease is the one the calls share).</summary>
    private static AgentChannel PooledChannel(AgentClientPool pool, Uri address)
    {
        Assert.True(pool.Contains(address), $"{address} not pooled");
        using var lease = pool.Lease(address);
        return lease.Channel;
    }

    private static string NodeName(int i) => string.Create(CultureInfo.InvariantCulture, $"churn-node-{i:000}");
}
