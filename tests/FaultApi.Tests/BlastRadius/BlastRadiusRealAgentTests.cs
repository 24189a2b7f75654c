using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;

namespace FaultApi.Tests.BlastRadius;

/// <summary>
/// The blast-radius guard and the targets of multi-node requests against three REAL agents, the fake Kubernetes API
/// server and API replicas (<see cref="RealAgentCluster"/>): a node whose agent went down still counts as faulted and as
/// a GPU node; a retry reuses the first call's nodes; two replicas cannot both pass the guard; a hung agent holds up only
/// the requests that target it; an agent's refusal that leaves nothing written frees its node's reservation at once. The kernel log is read by a <see cref="KernelLogRecorder"/> started with the test, not
/// with dmesg afterwards: the ring keeps ~1,500 records here, and under other writers (~2,700 records/s) a line the agent
/// had read back had left it seconds later, before the test looked.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BlastRadiusRealAgentTests
{
    private static readonly Dictionary<string, string?> OneFaultedNode = new() { ["Safety:MaxFaultedNodes"] = "1" };

    /// <summary>One faulted node at most, and the reconcilers once an hour (once at the replica's start): only an injection pushes the stop to a restarted agent.</summary>
    private static readonly Dictionary<string, string?> OneFaultedNodeOnlyTheInjectionPushes = new() { ["Safety:MaxFaultedNodes"] = "1", ["Stop:ReconcileIntervalSeconds"] = "3600" };

    private readonly string _runId = $"blast{Guid.NewGuid():N}"[..16];

    [RootFact]
    public async Task Inject_FaultedNodesAgentWentDown_StillCountsAsFaulted_AndAsAGpuNode_Refused409()
    {
        using var kernelLog = KernelLogRecorder.Start();
        await using var cluster = await StartAsync(OneFaultedNode);
        // Only node 0's fault is needed here, not a proven line: with the log flooded the agent may see the ring move past
        // its line before it reads it back and then says so (500 INJECTION_OUTCOME_UNKNOWN, the fault recorded open).
        _ = await AssertWrittenOrOutcomeUnknownAsync(await RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(0), $"first {_runId}"));

        // The monitor reboots the node for the Xid just injected: its agent is gone and its pod not Ready.
        await cluster.StopAgentAsync(0);
        cluster.SetAgentPodReady(0, ready: false);
        await Eventually.TrueAsync(async () => !(await cluster.Client.GetStringAsync(new Uri("/api/v1/nodes", UriKind.Relative))).Contains(RealAgentCluster.NodeName(0), StringComparison.Ordinal), "the node to leave the routing cache");

        var refused = await RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(1), $"second {_runId}");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Blast radius exceeded", problem.GetProperty("title").GetString());
        Assert.Equal(3, problem.GetProperty("gpu_nodes").GetInt32());
        Assert.Equal([RealAgentCluster.NodeName(0)], problem.GetProperty("unknown_nodes").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains("2 of 3 GPU nodes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(kernelLog.SnapshotContaining($"second {_runId}"));
    }

    [RootFact]
    public async Task Inject_RetryWithTheSameIdempotencyKey_GoesToTheFirstCallsNode_NeverToANewlyPickedOne()
    {
        using var kernelLog = KernelLogRecorder.Start();
        await using var cluster = await StartAsync(new Dictionary<string, string?>());
        var first = await InjectOnPoolAsync(cluster.Client, "pool-retry-1", $"pool {_runId}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var node = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faults")[0].GetProperty("node_name").GetString()!;
        var index = int.Parse(node[^3..], System.Globalization.CultureInfo.InvariantCulture) - 1;

        // That node's agent is not Ready now (its node is being rebooted for the fault): the retry must not pick another.
        cluster.SetAgentPodReady(index, ready: false);
        await Eventually.TrueAsync(async () => !(await cluster.Client.GetStringAsync(new Uri("/api/v1/nodes", UriKind.Relative))).Contains(node, StringComparison.Ordinal), "the node to leave the routing cache");
        var retried = await InjectOnPoolAsync(cluster.Client, "pool-retry-1", $"pool {_runId}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, retried.StatusCode);
        var problem = await retried.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([node], problem.GetProperty("node_errors").EnumerateArray().Select(e => e.GetProperty("node_name").GetString()));
        Assert.Single(kernelLog.SnapshotContaining($"pool {_runId}"));

        // Back: the retry finishes on the same node, replaying the first result.
        cluster.SetAgentPodReady(index, ready: true);
        await Eventually.TrueAsync(async () => (await cluster.Client.GetStringAsync(new Uri("/api/v1/nodes", UriKind.Relative))).Contains(node, StringComparison.Ordinal), "the node to come back");
        var replayed = await InjectOnPoolAsync(cluster.Client, "pool-retry-1", $"pool {_runId}");
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        var fault = (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faults")[0];
        Assert.Equal(node, fault.GetProperty("node_name").GetString());
        Assert.True(fault.GetProperty("replayed").GetBoolean());
        Assert.Single(kernelLog.SnapshotContaining($"pool {_runId}"));

        // The same key with another request is refused, naming the first one's nodes.
        using var other = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(new { node_selector = "nvidia.com/gpu.present=true", count = 2, gpu_id = 0, message = $"pool {_runId}" }) };
        other.Headers.Add("Idempotency-Key", "pool-retry-1");
        var reused = await cluster.Client.SendAsync(other);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.True((await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Single(kernelLog.SnapshotContaining($"pool {_runId}"));
    }

    [RootFact]
    public async Task Inject_TwoReplicasAtOnceOnTwoNodes_OnlyOnePassesTheGuard()
    {
        using var kernelLog = KernelLogRecorder.Start();
        await using var cluster = await StartAsync(OneFaultedNode);
        var other = await cluster.AddReplicaClient();
        for (var round = 0; round < 3; round++)
        {
            string[] markers = [$"both {round} a {_runId}", $"both {round} b {_runId}"];
            var a = RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(0), markers[0]);
            var b = RealAgentCluster.InjectAsync(other, RealAgentCluster.NodeName(1), markers[1]);
            var responses = await Task.WhenAll(a, b);

            // Exactly one is refused by the guard, and writes nothing.
            var loser = Assert.Single(Enumerable.Range(0, 2), i => responses[i].StatusCode == HttpStatusCode.Conflict);
            Assert.Equal("Blast radius exceeded", (await responses[loser].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
            Assert.Empty(kernelLog.SnapshotContaining(markers[loser]));

            // The other passed the guard: its line is written once, or, when the flooded ring moved past it before the agent
            // read it back, the agent says it cannot prove it (500 INJECTION_OUTCOME_UNKNOWN) and it is there at most once.
            var winnerLines = kernelLog.SnapshotContaining(markers[1 - loser]);
            if (!await AssertWrittenOrOutcomeUnknownAsync(responses[1 - loser]))
            {
                Assert.InRange(winnerLines.Count, 0, 1);

                // Its reservation now stays in flight until the agent call's deadline (+10 s) passes, as the guard must
                // hold an unproven write: a next round would be refused on both replicas. This round proved the guard.
                break;
            }

            Assert.Single(winnerLines);

            // Clear it so the next round starts from no faulted node.
            var active = await cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults?active_only=true");
            foreach (var fault in active.GetProperty("faults").EnumerateArray())
            {
                Assert.Equal(HttpStatusCode.OK, (await cluster.Client.DeleteAsync(new Uri($"/api/v1/faults/{fault.GetProperty("fault_id").GetString()}", UriKind.Relative))).StatusCode);
            }
        }
    }

    [RootFact]
    public async Task Inject_OneAgentHangs_AnInjectionOnAnotherNodeCompletesMeanwhile()
    {
        await using var cluster = await StartAsync(new Dictionary<string, string?> { ["Agents:CallTimeoutSeconds"] = "60" });
        cluster.PauseAgent(0);
        try
        {
            var hung = RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(0), $"hung {_runId}");
            await Eventually.TrueAsync(async () => await cluster.UnreadBytesAtAgentAsync(0) > 0, "the injection to reach the frozen agent");

            var other = await RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(1), $"other {_runId}");

            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.False(hung.IsCompleted, "the injection on the hung agent should still be waiting for it");
            cluster.ResumeAgent(0);
            await hung;
        }
        finally
        {
            cluster.ResumeAgent(0);
        }
    }

    [RootFact]
    public async Task Inject_AgentRefusedUnconfirmedAndThePushFailed_DropsThatNodesReservation_AnInjectionOnAnotherNodeIsNotRefused()
    {
        using var kernelLog = KernelLogRecorder.Start();
        await using var cluster = await StartAsync(OneFaultedNodeOnlyTheInjectionPushes, (i, agent, listen) => i == 1 ? new CuttingHttp2Relay(agent, listen) : null);
        var relay = cluster.Relay<CuttingHttp2Relay>(1);
        await RestartUnconfirmedAsync(cluster, 1);

        // The agent refuses as unconfirmed and is cut off right after that answer: the API's push fails, and nothing was
        // written on gpu-node-002 (the injection was not sent again).
        relay.CutAfterAnswerTo($"cut {_runId}");
        using var refused = await RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(1), $"cut {_runId}");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, problem.ToString());
        Assert.Equal("Agent stop state unconfirmed", problem.GetProperty("title").GetString());
        Assert.Contains("pushing the cluster's state", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Reachable again (an agent that does not answer counts as faulted): gpu-node-002 holds no fault and no injection
        // in flight, so the limit of one faulted node admits an injection on gpu-node-001.
        relay.Heal();
        await cluster.WaitUntilTheApiReachesAsync(RealAgentCluster.NodeName(1));
        using var other = await RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(0), $"other {_runId}");

        Assert.True(other.StatusCode != HttpStatusCode.Conflict, await other.Content.ReadAsStringAsync());
        _ = await AssertWrittenOrOutcomeUnknownAsync(other);
        Assert.Empty(kernelLog.SnapshotContaining($"cut {_runId}"));
        Assert.DoesNotContain(RealAgentCluster.NodeName(1), cluster.LedgerNodes());
    }

    [RootFact]
    public async Task Inject_AgentStillRefusesUnconfirmedAfterThePush_DropsThatNodesReservation_AnInjectionOnAnotherNodeIsNotRefused()
    {
        using var kernelLog = KernelLogRecorder.Start();
        await using var cluster = await StartAsync(OneFaultedNodeOnlyTheInjectionPushes);

        // Released above the cluster's state (never stopped, version 0) with the agent token, then a restart: the agent
        // holds it unconfirmed, the API's push loses to it, and the injection sent again is refused again.
        var ahead = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 60_000;
        await cluster.CallAgentAsync(1, (c, m) => c.SetEmergencyStopAsync(
            new SetEmergencyStopRequest { State = new EmergencyStopState { ChangedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Version = ahead } }, m));
        await RestartUnconfirmedAsync(cluster, 1);
        using var refused = await RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(1), $"ahead {_runId}");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, problem.ToString());
        Assert.Contains($"version {ahead}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var other = await RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(0), $"other {_runId}");

        Assert.True(other.StatusCode != HttpStatusCode.Conflict, await other.Content.ReadAsStringAsync());
        _ = await AssertWrittenOrOutcomeUnknownAsync(other);
        Assert.Empty(kernelLog.SnapshotContaining($"ahead {_runId}"));
        Assert.DoesNotContain(RealAgentCluster.NodeName(1), cluster.LedgerNodes());
    }

    [RootFact]
    public async Task Inject_SameKeyRefusedThroughAnotherReplicaWhileTheFirstCallIsOnItsWay_FirstCallStaysInFlight_AnotherNodeIs409()
    {
        using var kernelLog = KernelLogRecorder.Start();
        await using var cluster = await StartAsync(OneFaultedNode, (i, agent, listen) => i == 0 ? new RequestHoldingHttp2Relay(agent, listen) : null);
        var relay = cluster.Relay<RequestHoldingHttp2Relay>(0);
        var second = await cluster.AddReplicaClient();
        var key = $"slow-{_runId}";

        // The first call passed the guard (gpu-node-001 reserved in the ledger) and its request is on a slow network to the
        // agent, which has not seen it: the agent's fault list is still empty.
        relay.HoldRequestTo($"first {_runId}");
        var first = InjectWithKeyAsync(cluster.Client, RealAgentCluster.NodeName(0), 0, key, $"first {_runId}");
        await relay.Held.WaitAsync(TimeSpan.FromSeconds(30));

        // The caller retries with the same Idempotency-Key through another replica, with another body (a GPU the node does
        // not have): the agent refuses it (404), nothing is written for it.
        using var retry = await InjectWithKeyAsync(second, RealAgentCluster.NodeName(0), 99, key, $"retry {_runId}");
        Assert.True(retry.StatusCode == HttpStatusCode.NotFound, await retry.Content.ReadAsStringAsync());

        // The first call is still in flight: with one faulted node at most, an injection on another node is refused.
        using var other = await RealAgentCluster.InjectAsync(second, RealAgentCluster.NodeName(1), $"other {_runId}");
        var otherBody = await other.Content.ReadAsStringAsync();
        var ledger = cluster.LedgerNodes();
        relay.Release();
        using var firstAnswer = await first;
        _ = await AssertWrittenOrOutcomeUnknownAsync(firstAnswer);

        Assert.True(other.StatusCode == HttpStatusCode.Conflict, $"{other.StatusCode} while the first call was in flight (ledger nodes then: {string.Join(", ", ledger)}): {otherBody}");
        Assert.Contains(RealAgentCluster.NodeName(0), JsonDocument.Parse(otherBody).RootElement.GetProperty("in_flight_nodes").EnumerateArray().Select(n => n.GetString()));
        Assert.Empty(kernelLog.SnapshotContaining($"other {_runId}"));
        Assert.Empty(kernelLog.SnapshotContaining($"retry {_runId}"));
    }

    private static async Task<RealAgentCluster> StartAsync(Dictionary<string, string?> settings, Func<int, IPEndPoint, IPEndPoint, LoopbackTcpRelay?>? relay = null)
    {
        var cluster = new RealAgentCluster(settings, agents: 3, relay);
        await cluster.InitializeAsync();
        return cluster;
    }

    /// <summary>Restarts agent <paramref name="i"/> (unconfirmed, as every agent from its start) and waits until the API reaches it.</summary>
    private static async Task RestartUnconfirmedAsync(RealAgentCluster cluster, int i)
    {
        await cluster.StopAgentAsync(i);
        await cluster.StartAgentAsync(i);
        await cluster.WaitUntilTheApiReachesAsync(RealAgentCluster.NodeName(i));
        Assert.False((await cluster.AgentStopAsync(i)).Confirmed, "the restarted agent is confirmed already: the refusal this test is about is not observed");
    }

    /// <summary>True for 200 (written and read back); false for 500 with reason INJECTION_OUTCOME_UNKNOWN; fails otherwise.</summary>
    internal static async Task<bool> AssertWrittenOrOutcomeUnknownAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("INJECTION_OUTCOME_UNKNOWN", problem.GetProperty("reason").GetString());
        return false;
    }

    private static async Task<HttpResponseMessage> InjectWithKeyAsync(HttpClient client, string node, int gpu, string key, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(new { node_name = node, gpu_id = gpu, message }) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> InjectOnPoolAsync(HttpClient client, string key, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(new { node_selector = "nvidia.com/gpu.present=true", count = 1, gpu_id = 0, message }) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }
}
