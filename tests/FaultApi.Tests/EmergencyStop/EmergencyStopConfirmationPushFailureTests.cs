using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// The API's confirmation push failing: a restarted agent refuses the API's injection as unconfirmed, and becomes
/// unreachable right after that answer, so the API's push of the cluster's state to it (and anything else the API starts
/// on it) never reaches it. Two REAL agents (gpu-node-001, gpu-node-002) writing the machine's /dev/kmsg, read back by a
/// <see cref="KernelLogRecorder"/> started before the cluster; gpu-node-002's pod address is a <see cref="CuttingHttp2Relay"/>
/// in front of its agent, which cuts every request the API starts after the agent's answer to the marked injection, until
/// healed. The reconcilers run once an hour (once at the replica's start), so only the injection path pushes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopConfirmationPushFailureTests : IAsyncLifetime
{
    private const string Relayed = "gpu-node-002";
    private readonly string _runId = $"push{Guid.NewGuid():N}"[..16];
    private readonly RealAgentCluster _cluster = new(
        new Dictionary<string, string?> { ["Stop:ReconcileIntervalSeconds"] = "3600" },
        relay: (i, agent, listen) => i == 1 ? new CuttingHttp2Relay(agent, listen) : null);
    private KernelLogRecorder _kernelLog = null!;

    private CuttingHttp2Relay Relay => _cluster.Relay<CuttingHttp2Relay>(1);

    public async Task InitializeAsync()
    {
        _kernelLog = KernelLogRecorder.Start();
        await _cluster.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _cluster.DisposeAsync();
        }
        finally
        {
            _kernelLog.Dispose();
        }
    }

    [RootFact]
    public async Task Inject_AgentUnreachableBetweenItsUnconfirmedRefusalAndThePush_Is503NamingTheNode_WritesNothing_AndLandsOnceReachable()
    {
        var message = $"cut {_runId}";
        var faultId = $"cut-{_runId}";
        await RestartUnconfirmedAsync();
        Relay.CutAfterAnswerTo(message);

        using var refused = await InjectAsync(new { node_name = Relayed, gpu_id = 0, fault_id = faultId, message });

        var problem = await ProblemResponse.ReadAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Agent stop state unconfirmed", problem.GetProperty("title").GetString());
        Assert.Equal(Relayed, problem.GetProperty("node_name").GetString());
        Assert.Equal("EMERGENCY_STOP_UNCONFIRMED", problem.GetProperty("reason").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"node '{Relayed}'", detail, StringComparison.Ordinal);
        Assert.Contains("pushing the cluster's state (never engaged) to it failed", detail, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", detail, StringComparison.Ordinal);
        Assert.True(Relay.Cutting && Relay.Cuts >= 1, $"the relay cut {Relay.Cuts} request(s) after the agent's refusal");

        // Nothing on the node: no line, no fault, and the agent still refuses as unconfirmed (the push never reached it).
        Assert.Empty(_kernelLog.SnapshotContaining(message));
        await AssertNothingOnTheRelayedAgentAsync(faultId, message);

        // Reachable again: the same injection lands, the API confirming the agent by its push and retry.
        Relay.Heal();
        await _cluster.WaitUntilTheApiReachesAsync(Relayed);
        Assert.False((await _cluster.AgentStopAsync(1)).Confirmed);

        using var landed = await InjectAsync(new { node_name = Relayed, gpu_id = 0, fault_id = faultId, message });

        Assert.True(landed.StatusCode == HttpStatusCode.OK, await landed.Content.ReadAsStringAsync());
        Assert.Single(_kernelLog.SnapshotContaining(message));
        Assert.True((await _cluster.AgentStopAsync(1)).Confirmed);
        var fault = await _cluster.CallAgentAsync(1, (c, m) => c.GetFaultAsync(new GetFaultRequest { FaultId = faultId }, m));
        Assert.EndsWith(message, fault.Line, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Inject_SelectorWhereOneNodesConfirmationPushFails_NodeErrorsNameIt_TheOtherIsInjected_AndTheRetryFinishes()
    {
        var message = $"pool {_runId}";
        var key = $"pool-{_runId}";
        await RestartUnconfirmedAsync();
        Relay.CutAfterAnswerTo(message);

        using var partial = await InjectOnBothAsync(key, message);

        var body = await partial.Content.ReadAsStringAsync();
        Assert.True(partial.StatusCode == HttpStatusCode.ServiceUnavailable, body);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Injection failed on some nodes", problem.GetProperty("title").GetString());
        var error = Assert.Single(problem.GetProperty("node_errors").EnumerateArray());
        Assert.Equal(Relayed, error.GetProperty("node_name").GetString());
        Assert.Equal(503, error.GetProperty("status").GetInt32());
        Assert.Contains("pushing the cluster's state", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var injected = Assert.Single(problem.GetProperty("faults").EnumerateArray());
        Assert.Equal("gpu-node-001", injected.GetProperty("node_name").GetString());
        Assert.Single(_kernelLog.SnapshotContaining(message));
        Assert.Equal(1, await FaultsCarryingAsync(0, message));
        await AssertNothingOnTheRelayedAgentAsync(null, message);

        // Reachable again: the retry with the same Idempotency-Key replays gpu-node-001's fault and injects gpu-node-002.
        Relay.Heal();
        await _cluster.WaitUntilTheApiReachesAsync(Relayed);
        using var finished = await InjectOnBothAsync(key, message);

        var done = await finished.Content.ReadAsStringAsync();
        Assert.True(finished.StatusCode == HttpStatusCode.OK, done);
        var faults = JsonDocument.Parse(done).RootElement.GetProperty("faults").EnumerateArray().ToDictionary(f => f.GetProperty("node_name").GetString()!, f => f.GetProperty("replayed").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["gpu-node-001"] = true, [Relayed] = false }, faults);
        Assert.Equal(2, _kernelLog.SnapshotContaining(message).Count);
        Assert.Equal(1, await FaultsCarryingAsync(1, message));
        Assert.True((await _cluster.AgentStopAsync(1)).Confirmed);
    }

    /// <summary>Restarts gpu-node-002's agent (unconfirmed, as every agent from its start) and waits until the API reaches it through the relay.</summary>
    private async Task RestartUnconfirmedAsync()
    {
        await _cluster.StopAgentAsync(1);
        await _cluster.StartAgentAsync(1);
        await _cluster.WaitUntilTheApiReachesAsync(Relayed);
        Assert.False((await _cluster.AgentStopAsync(1)).Confirmed, "the restarted agent is confirmed already: the refusal this test is about is not observed");
    }

    /// <summary>gpu-node-002's agent, asked directly: no fault carrying <paramref name="message"/> (nor <paramref name="faultId"/>), and still unconfirmed.</summary>
    private async Task AssertNothingOnTheRelayedAgentAsync(string? faultId, string message)
    {
        var held = await _cluster.CallAgentAsync(1, (c, m) => c.ListFaultsAsync(new ListFaultsRequest(), m));
        Assert.DoesNotContain(held.Faults, f => f.Line.Contains(message, StringComparison.Ordinal));
        if (faultId is not null)
        {
            var missing = await Assert.ThrowsAsync<RpcException>(() => _cluster.CallAgentAsync(1, (c, m) => c.GetFaultAsync(new GetFaultRequest { FaultId = faultId }, m)));
            Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        }

        Assert.False((await _cluster.AgentStopAsync(1)).Confirmed);
    }

    /// <summary>How many of agent <paramref name="i"/>'s faults carry <paramref name="message"/> in their line (asked directly).</summary>
    private async Task<int> FaultsCarryingAsync(int i, string message)
    {
        var held = await _cluster.CallAgentAsync(i, (c, m) => c.ListFaultsAsync(new ListFaultsRequest(), m));
        return held.Faults.Count(f => f.Line.Contains(message, StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> InjectAsync(object body) => _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", body);

    private async Task<HttpResponseMessage> InjectOnBothAsync(string key, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79")
        {
            Content = JsonContent.Create(new { node_selector = "nvidia.com/gpu.present=true", count = 2, gpu_id = 0, message }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await _cluster.Client.SendAsync(request);
    }
}
