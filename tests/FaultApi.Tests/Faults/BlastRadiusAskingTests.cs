using System.Net;
using System.Net.Http.Json;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Faults;

/// <summary>
/// The blast-radius guard asks every agent for its active faults only when a limit could be exceeded: with the default
/// settings (no count limit, fraction 1.0) an injection calls the target agent alone.
/// </summary>
public sealed class BlastRadiusAskingTests
{
    private static async Task<int[]> OtherAgentCallsDuringInjectAsync(TestCluster cluster)
    {
        var before = cluster.Agents.Select(a => a.Service.Calls).ToArray();
        using var response = await cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001", gpu_id = 0 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. cluster.Agents.Skip(1).Select((a, i) => a.Service.Calls - before[i + 1])];
    }

    [Fact]
    public async Task Inject_DefaultSafetySettings_AsksNoOtherAgent()
    {
        await using var cluster = await TestCluster.StartAsync(3);

        var calls = await OtherAgentCallsDuringInjectAsync(cluster);

        Assert.All(calls, c => Assert.Equal(0, c));
        Assert.Equal(1, cluster.Agents[0].Service.WrittenLines);
    }

    [Fact]
    public async Task Inject_LimitBelowNodeCount_AsksEveryAgent()
    {
        await using var cluster = await TestCluster.StartAsync(3, new Dictionary<string, string?> { ["Safety:MaxFaultedNodes"] = "2" });

        var calls = await OtherAgentCallsDuringInjectAsync(cluster);

        Assert.All(calls, c => Assert.Equal(1, c));
    }
}
