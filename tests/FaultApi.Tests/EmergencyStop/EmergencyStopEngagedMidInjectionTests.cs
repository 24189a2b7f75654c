using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// A stop engaged while an injection is on its way: two REAL agents (gpu-node-001 behind a
/// <see cref="RequestHoldingHttp2Relay"/>), two API replicas sharing the fake Kubernetes API's ConfigMaps, the reconcilers
/// once an hour (once at each replica's start), and a <see cref="KernelLogRecorder"/> started first. The injection read
/// the released state before the stop was engaged; it reaches its agent only after the stop answered 200.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopEngagedMidInjectionTests
{
    private readonly string _runId = $"mid{Guid.NewGuid():N}"[..16];

    [RootFact]
    public async Task Inject_StopEngagedWhileTheCallIsOnItsWayToARestartedAgentTheStopDidNotReach_Is423AndWritesNothing()
    {
        using var kernelLog = KernelLogRecorder.Start();
        await using var cluster = new RealAgentCluster(
            new Dictionary<string, string?> { ["Stop:ReconcileIntervalSeconds"] = "3600" },
            agents: 2,
            relay: (i, agent, listen) => i == 0 ? new RequestHoldingHttp2Relay(agent, listen) : null);
        await cluster.InitializeAsync();
        var relay = cluster.Relay<RequestHoldingHttp2Relay>(0);
        var other = await cluster.AddReplicaClient();
        var node = RealAgentCluster.NodeName(0);

        // gpu-node-001's agent restarted: it holds the released state unconfirmed, and no reconciler pass reaches it.
        await cluster.StopAgentAsync(0);
        await cluster.StartAgentAsync(0);
        await cluster.WaitUntilTheApiReachesAsync(node);
        Assert.False((await cluster.AgentStopAsync(0)).Confirmed, "the restarted agent is confirmed already: the refusal this test is about is not observed");

        // An injection read the released state and is on its way to that agent, which is unreachable for anything else meanwhile.
        var message = $"late {_runId}";
        relay.HoldRequestTo(message, cutOthers: true);
        var injection = RealAgentCluster.InjectAsync(cluster.Client, node, message);
        await relay.Held.WaitAsync(TimeSpan.FromSeconds(60));

        // The stop is engaged through the other replica and answers 200; its push to gpu-node-001 was cut.
        using var engaged = await other.PostAsJsonAsync("/api/v1/stop", new { reason = $"stop {_runId}" });
        var stop = await engaged.Content.ReadAsStringAsync();
        Assert.True(engaged.StatusCode == HttpStatusCode.OK, stop);
        var copy = JsonDocument.Parse(stop).RootElement.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("node_name").GetString() == node);
        Assert.False(copy.GetProperty("acknowledged").GetBoolean(), stop);
        Assert.True(relay.Cuts >= 1, $"the relay cut {relay.Cuts} request(s) while it held the injection");

        // The held call reaches the agent only now, after the stop answered 200: refused, nothing written.
        relay.Release();
        using var answer = await injection;
        var body = await answer.Content.ReadAsStringAsync();

        Assert.True(answer.StatusCode == HttpStatusCode.Locked, $"{answer.StatusCode} for an injection that reached its agent after the stop answered 200: {body}");
        Assert.Empty(kernelLog.SnapshotContaining(message));
        Assert.Empty((await cluster.CallAgentAsync(0, (c, m) => c.ListFaultsAsync(new ListFaultsRequest(), m))).Faults);
    }
}
