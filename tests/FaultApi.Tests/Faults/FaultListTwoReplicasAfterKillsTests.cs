using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;

namespace FaultApi.Tests.Faults;

/// <summary>
/// Two API replicas (in memory, routing through the fake Kubernetes API server) in front of two REAL agent processes
/// (<see cref="RealAgentCluster"/>), each agent SIGKILLed and restarted on its state directory: one while its timed
/// faults' durations ran out, the other while the emergency stop was engaged (its end-all left to the reconciler's push
/// after the restart). Both replicas' lists and single faults must be each node's ListFaults, through every phase.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultListTwoReplicasAfterKillsTests : IAsyncLifetime
{
    private readonly string _runId = $"two{Guid.NewGuid():N}"[..13];
    private readonly RealAgentCluster _cluster = new(agents: 2);

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [RootFact]
    public async Task ListAndGetFaults_TwoReplicasTwoNodes_AfterSigkillsWhileFaultsExpiredAndWhileTheStopWasEngaged_AgreeWithEachNodesListFaults()
    {
        var replicas = new[] { _cluster.Client, await _cluster.AddReplicaClient() };
        var nodes = new[] { RealAgentCluster.NodeName(0), RealAgentCluster.NodeName(1) };

        // 30 faults on each node; on node 0 a third of them run 2 s. Both agents SIGKILLed, node 0's timed faults expiring
        // while it is dead; both restarted.
        for (var node = 0; node < 2; node++)
        {
            for (var i = 0; i < 30; i++)
            {
                var request = new InjectXidRequest { Xid = 79, GpuId = 0, FaultId = $"{_runId}-{node}-{i}", Message = $"{_runId} node {node} #{i}" };
                if (node == 0 && i % 3 == 0)
                {
                    request.Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(2));
                }

                var n = node;
                await _cluster.CallAgentAsync(n, (c, m) => c.InjectXidAsync(request, m));
            }
        }

        await _cluster.StopAgentAsync(0);
        await _cluster.StopAgentAsync(1);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // past the timed faults' 2 s
        await _cluster.StartAgentAsync(0);
        await _cluster.StartAgentAsync(1);
        await _cluster.WaitUntilTheApiReachesAsync(nodes);
        await Eventually.TrueAsync(
            async () => (await FaultListAfterAgentKillTests.AgentListAsync(_cluster, 0, activeOnly: false)).Values.Count(f => f.State == FaultState.Expired) == 10,
            "node 0's restarted agent to expire the 10 timed faults");
        await AssertReplicasAgreeWithTheAgentsAsync(replicas, nodes, open: 50);

        // Node 1 SIGKILLed again; the stop engaged through replica B meanwhile (node 0 ends its faults at once, node 1
        // answers nothing); node 1 restarted, unconfirmed: the reconciler's push brings it the stop and its end-all.
        await _cluster.StopAgentAsync(1);
        using (var engaged = await replicas[1].PostAsJsonAsync("/api/v1/stop", new { reason = $"two replicas {_runId}" }))
        {
            Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
        }

        await _cluster.StartAgentAsync(1);
        await _cluster.WaitUntilTheApiReachesAsync(nodes);
        await Eventually.TrueAsync(async () => (await FaultListAfterAgentKillTests.AgentListAsync(_cluster, 1, activeOnly: true)).Count == 0, "the restarted node 1 to end its faults under the stop");
        await AssertReplicasAgreeWithTheAgentsAsync(replicas, nodes, open: 0);

        // Released through replica A: nothing the stop ended comes back on either node, in either replica.
        using (var released = await replicas[0].DeleteAsync(new Uri("/api/v1/stop?reason=all+clear", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        }

        await AssertReplicasAgreeWithTheAgentsAsync(replicas, nodes, open: 0);
    }

    /// <summary>
    /// Each replica's GET /api/v1/faults (the whole cluster, and per node whole and active_only) and GET /api/v1/faults/{id}
    /// against each agent's ListFaults; <paramref name="open"/> faults are active across both nodes.
    /// </summary>
    private async Task AssertReplicasAgreeWithTheAgentsAsync(HttpClient[] replicas, string[] nodes, int open)
    {
        var agents = new List<Dictionary<string, Fault>>();
        for (var i = 0; i < nodes.Length; i++)
        {
            agents.Add(await FaultListAfterAgentKillTests.AgentListAsync(_cluster, i, activeOnly: false));
        }

        Assert.Equal(open, agents.Sum(a => a.Values.Count(f => f.State == FaultState.Active)));
        foreach (var replica in replicas)
        {
            var cluster = await FaultListAfterAgentKillTests.ApiListAsync(replica, "/api/v1/faults?limit=1000");
            Assert.Equal(agents.SelectMany(a => a.Keys).Order(StringComparer.Ordinal), cluster.Keys.Order(StringComparer.Ordinal));
            for (var i = 0; i < nodes.Length; i++)
            {
                var listed = await FaultListAfterAgentKillTests.ApiListAsync(replica, $"/api/v1/faults?node={nodes[i]}&limit=1000");
                Assert.Equal(agents[i].Keys.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
                Assert.All(agents[i].Values, f => Assert.Equal(FaultListAfterAgentKillTests.Expected(f), listed[f.FaultId]));
                Assert.All(agents[i].Values, f => Assert.Equal(FaultListAfterAgentKillTests.Expected(f), cluster[f.FaultId]));
                var active = await FaultListAfterAgentKillTests.ApiListAsync(replica, $"/api/v1/faults?node={nodes[i]}&active_only=true&limit=1000");
                var agentActive = await FaultListAfterAgentKillTests.AgentListAsync(_cluster, i, activeOnly: true);
                Assert.Equal(agentActive.Keys.Order(StringComparer.Ordinal), active.Keys.Order(StringComparer.Ordinal));
                foreach (var fault in agents[i].Values)
                {
                    using var response = await replica.GetAsync(new Uri($"/api/v1/faults/{fault.FaultId}?node={nodes[i]}", UriKind.Relative));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Equal(FaultListAfterAgentKillTests.Expected(fault), FaultListAfterAgentKillTests.Read(await response.Content.ReadFromJsonAsync<JsonElement>()));
                }
            }
        }
    }
}
