using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Faults;

/// <summary>
/// The blast-radius guard under the race that let two injections through at once (seen in CI under load as
/// <c>Inject_TwoReplicasAtOnceOnTwoNodes_OnlyOnePassesTheGuard</c> answering 200 twice): an agent's "no open fault" taken
/// before another injection on its node was settled must never free that node.
/// </summary>
public sealed class BlastRadiusRaceTests
{
    [Fact]
    public async Task Inject_AgentAnswerOlderThanAnInjectionSettledMeanwhile_DoesNotFreeItsNode_Refused409()
    {
        await using var cluster = await TestCluster.StartAsync(3, new Dictionary<string, string?> { ["Safety:MaxFaultedNodes"] = "1" });
        var held = new HeldAnswer();
        cluster.Agents[0].Service.HoldNextListAnswer = held;

        // The late injection reads the (empty) ledger and asks every agent; gpu-node-001's "no open fault" is taken now
        // and delivered only after another injection on gpu-node-001 has been reserved, written and settled.
        var late = cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-002", gpu_id = 0 });
        await held.Taken.WaitAsync(TimeSpan.FromSeconds(60));
        using (var first = await cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001", gpu_id = 0 }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        held.Release();
        using var refused = await late;

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Blast radius exceeded", problem.GetProperty("title").GetString());
        Assert.Equal(["gpu-node-001"], problem.GetProperty("faulted_nodes").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(0, cluster.Agents[1].Service.WrittenLines);
        Assert.Equal(1, cluster.Agents[0].Service.WrittenLines);
    }
}
