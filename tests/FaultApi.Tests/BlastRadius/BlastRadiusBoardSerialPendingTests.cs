using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Faults;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.BlastRadius;

/// <summary>
/// The blast-radius guard when an agent refuses an injection <c>BOARD_SERIAL_PENDING</c> (its host's nvidia-smi has not
/// answered the GPU's board serial, which the Xid 79 lines print; the agent writes nothing and the API's channel sent the
/// injection again on the UNAVAILABLE, every attempt waiting for the one nvidia-smi run): the API's 503 says nothing was
/// written, so that node's reservation is dropped at once as for a 4xx refusal. Before, any 5xx kept the reservation in
/// flight until the agent call's deadline (+10 s): with a limit, another node's injection was refused 409 meanwhile. REAL
/// agents (<see cref="RealAgentCluster"/>), one with a stand-in nvidia-smi that hangs until the test releases it
/// (<see cref="HangingNvidiaSmi"/>), the fake Kubernetes API server, the real API.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BlastRadiusBoardSerialPendingTests : IDisposable
{
    private const string Selector = "nvidia.com/gpu.present=true";
    private readonly string _runId = $"bsp{Guid.NewGuid():N}"[..16];
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task Inject_AgentRefusesBoardSerialPending_DropsThatNodesReservation_AnotherNodeIsNotRefused_TheRetryWritesOnce()
    {
        using var kernelLog = KernelLogRecorder.Start();
        using var smi = await HangingNvidiaSmi.CreateAsync(_directory.Path);
        await using var cluster = await StartAsync(agents: 2, maxFaultedNodes: 1, pendingAgent: 1, smi);
        var pending = RealAgentCluster.NodeName(1);
        var key = $"pending-{_runId}";

        // gpu-node-002's nvidia-smi hangs: every attempt of the API's channel waits for the one run, and is refused.
        using var refused = await InjectWithKeyAsync(cluster.Client, pending, key, $"pending {_runId}");
        await AssertPendingAsync(refused);

        // One faulted node at most: gpu-node-002 has no fault and no injection in flight, so gpu-node-001 is admitted.
        using var other = await RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(0), $"other {_runId}");
        Assert.True(other.StatusCode != HttpStatusCode.Conflict, $"refused while only a pending refusal was on gpu-node-002: {await other.Content.ReadAsStringAsync()}");
        _ = await BlastRadiusRealAgentTests.AssertWrittenOrOutcomeUnknownAsync(other);
        Assert.DoesNotContain(pending, cluster.LedgerNodes());

        // Cleared, then nvidia-smi answers: the caller's retry with the same key writes once, and a second one replays.
        await ClearActiveFaultsAsync(cluster.Client);
        smi.Release();
        using var retried = await InjectWithKeyAsync(cluster.Client, pending, key, $"pending {_runId}");
        var written = await BlastRadiusRealAgentTests.AssertWrittenOrOutcomeUnknownAsync(retried);
        using var again = await InjectWithKeyAsync(cluster.Client, pending, key, $"pending {_runId}");
        if (written)
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetBoolean());
        }

        Assert.InRange(kernelLog.SnapshotContaining($"pending {_runId}").Count, written ? 1 : 0, 1);
        Assert.Single(await smi.CallsAsync(), l => l.Contains("serial", StringComparison.Ordinal)); // one run served every attempt
    }

    [RootFact]
    public async Task Inject_SelectorOnTwoNodesOnePending_SettlesTheInjectedNode_DropsOnlyThePendingNodes_TheThirdNodeIsNotRefused()
    {
        using var kernelLog = KernelLogRecorder.Start();
        using var smi = await HangingNvidiaSmi.CreateAsync(_directory.Path);
        await using var cluster = await StartAsync(agents: 3, maxFaultedNodes: 2, pendingAgent: 2, smi);
        string[] nodes = [RealAgentCluster.NodeName(0), RealAgentCluster.NodeName(1), RealAgentCluster.NodeName(2)];

        // A key whose two picked nodes (rendezvous order, as the API ranks them) include the pending gpu-node-003.
        var key = Enumerable.Range(0, 100).Select(n => $"pool-{_runId}-{n}")
            .First(k => nodes.OrderBy(node => IdempotencyKeys.Rank(k, node), StringComparer.Ordinal).Take(2).Contains(nodes[2]));
        var picked = nodes.OrderBy(node => IdempotencyKeys.Rank(key, node), StringComparer.Ordinal).Take(2).ToList();
        var injected = picked.Single(n => n != nodes[2]);
        var spare = nodes.Single(n => !picked.Contains(n));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(new { node_selector = Selector, count = 2, gpu_id = 0, message = $"pool {_runId}" }) };
        request.Headers.Add(IdempotencyKeys.HeaderName, key);
        using var partial = await cluster.Client.SendAsync(request);

        var problem = await partial.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(partial.StatusCode == HttpStatusCode.ServiceUnavailable, problem.ToString());
        Assert.Equal("Injection failed on some nodes", problem.GetProperty("title").GetString());
        var error = Assert.Single(problem.GetProperty("node_errors").EnumerateArray());
        Assert.Equal(nodes[2], error.GetProperty("node_name").GetString());
        Assert.Equal(503, error.GetProperty("status").GetInt32());
        Assert.Contains("nvidia-smi has not answered", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal([injected], problem.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("node_name").GetString()));
        Assert.Single(kernelLog.SnapshotContaining($"pool {_runId}")); // the injected node's line; none for the pending one

        // The injected node keeps its (settled) place; the pending node's is dropped; the spare node fits the limit of two.
        using var third = await RealAgentCluster.InjectAsync(cluster.Client, spare, $"spare {_runId}");
        Assert.True(third.StatusCode != HttpStatusCode.Conflict, $"refused while only a pending refusal was on {nodes[2]}: {await third.Content.ReadAsStringAsync()}");
        _ = await BlastRadiusRealAgentTests.AssertWrittenOrOutcomeUnknownAsync(third);
        var ledger = cluster.LedgerNodes();
        Assert.Contains(injected, ledger);
        Assert.DoesNotContain(nodes[2], ledger);
    }

    /// <summary>A cluster of <paramref name="agents"/> real agents, at most <paramref name="maxFaultedNodes"/> faulted, agent <paramref name="pendingAgent"/> on the hanging nvidia-smi.</summary>
    private static async Task<RealAgentCluster> StartAsync(int agents, int maxFaultedNodes, int pendingAgent, HangingNvidiaSmi smi)
    {
        var cluster = new RealAgentCluster(
            new Dictionary<string, string?> { ["Safety:MaxFaultedNodes"] = maxFaultedNodes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            agents,
            agentSettings: i => i != pendingAgent ? null : new Dictionary<string, string>
            {
                ["Agent:Tools:NvidiaSmiPath"] = smi.Path,
                ["Agent:Telemetry:CommandTimeout"] = "00:10:00", // the run outlasts every wait
                ["Agent:Telemetry:BoardLookupWait"] = "00:00:01", // three attempts' waits in ~3 s
            });
        await cluster.InitializeAsync();
        return cluster;
    }

    /// <summary>The API's 503 for the agent's BOARD_SERIAL_PENDING, after the channel's attempts: nothing was written.</summary>
    private static async Task AssertPendingAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, problem.ToString());
        Assert.Equal("BOARD_SERIAL_PENDING", problem.GetProperty("reason").GetString());
        Assert.Contains("Nothing was written", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task ClearActiveFaultsAsync(HttpClient client)
    {
        var active = await client.GetFromJsonAsync<JsonElement>("/api/v1/faults?active_only=true");
        foreach (var fault in active.GetProperty("faults").EnumerateArray())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(new Uri($"/api/v1/faults/{fault.GetProperty("fault_id").GetString()}", UriKind.Relative))).StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> InjectWithKeyAsync(HttpClient client, string node, string key, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(new { node_name = node, gpu_id = 0, message }) };
        request.Headers.Add(IdempotencyKeys.HeaderName, key);
        return await client.SendAsync(request);
    }
}
