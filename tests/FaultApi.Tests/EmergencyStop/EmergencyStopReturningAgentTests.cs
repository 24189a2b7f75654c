using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.EmergencyStop;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// An agent that comes back with a state directory that never heard of the cluster's stop holds the released state, but
/// unconfirmed: from its first healthy answer it refuses every real injection (EMERGENCY_STOP_UNCONFIRMED) until an API's
/// push confirms a state — here the reconciler's pass, which brings it the engaged stop (then EMERGENCY_STOP). The window
/// the agent used to leave open (60-68 direct injections landed in 7.2-8.2 s before this design) is closed. The
/// reconcilers run once an hour (once at each replica's start), so the agent stays unconfirmed until the test runs the
/// reconciler's pass itself. Through the API an injection is refused all along, through any replica (each re-reads the
/// cluster's state), and after a restart of an agent of a cluster whose stop was never engaged the first injection through
/// the API succeeds: the API pushes the state it just re-read and retries once. Two REAL agents writing the machine's
/// /dev/kmsg, read back by a <see cref="KernelLogRecorder"/> started before the cluster.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopReturningAgentTests : IAsyncLifetime
{
    private readonly string _runId = $"back{Guid.NewGuid():N}"[..16];
    private readonly RealAgentCluster _cluster = new(new Dictionary<string, string?> { ["Stop:ReconcileIntervalSeconds"] = "3600" });
    private KernelLogRecorder _kernelLog = null!;

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
    public async Task Inject_AgentBackWithAStateDirectoryThatNeverHeardOfTheStop_RefusesUnconfirmedUntilTheReconcilersPush_ThenStopped_AndTheApiRefusesThroughout()
    {
        var otherReplica = await _cluster.AddReplicaClient();
        await _cluster.StopAgentAsync(1);
        var engaged = await _cluster.Client.PostAsJsonAsync("/api/v1/stop", new { reason = $"agent down {_runId}" });
        Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
        await _cluster.StartAgentAsync(1);

        // From its first healthy answer: the released state its directory holds, unconfirmed, and every real injection refused.
        var held = await _cluster.AgentStopAsync(1);
        var before = await Assert.ThrowsAsync<RpcException>(() => _cluster.InjectDirectAsync(1, $"window {_runId}"));
        using var beforeHttp = await _cluster.InjectDirectHttpAsync(1, $"window http {_runId}");
        await AssertApiRefusesAsync(otherReplica);

        Assert.False(held.Engaged, $"the agent holds version {held.Version} engaged: the reconciler reached it already, and the window this test is about is not observed");
        Assert.False(held.Confirmed);
        Assert.Equal(StatusCode.FailedPrecondition, before.StatusCode);
        Assert.Equal("EMERGENCY_STOP_UNCONFIRMED", before.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(HttpStatusCode.Locked, beforeHttp.StatusCode);
        Assert.Equal("EMERGENCY_STOP_UNCONFIRMED", (await beforeHttp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        // The reconciler's pass that reaches it (the replica's channel reconnects within ~2 s) pushes the cluster's engaged
        // stop: from then on refused as stopped.
        await ReconcileUntilAsync(async () => (await _cluster.AgentStopAsync(1)).Engaged, "a reconciler's pass to bring the returning agent the stop");
        var after = await Assert.ThrowsAsync<RpcException>(() => _cluster.InjectDirectAsync(1, $"window {_runId}"));
        await AssertApiRefusesAsync(otherReplica);

        var pushed = await _cluster.AgentStopAsync(1);
        Assert.True(pushed.Engaged);
        Assert.True(pushed.Confirmed);
        Assert.Equal(StatusCode.FailedPrecondition, after.StatusCode);
        var stopped = after.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("EMERGENCY_STOP", stopped.Reason);
        Assert.Equal($"agent down {_runId}", stopped.Metadata["reason"]);
        Assert.Empty(_kernelLog.SnapshotContaining(_runId));
    }

    [RootFact]
    public async Task Inject_FreshAgentOfAClusterNeverStopped_DirectIsRefusedUnconfirmed_ThroughTheApiTheFirstInjectionLands_AndTheReconcilerConfirms()
    {
        await _cluster.StopAgentAsync(1);
        await _cluster.StartAgentAsync(1);
        var held = await _cluster.AgentStopAsync(1);
        var direct = await Assert.ThrowsAsync<RpcException>(() => _cluster.InjectDirectAsync(1, $"direct {_runId}"));
        await _cluster.WaitUntilTheApiReachesAsync("gpu-node-002");

        using var first = await RealAgentCluster.InjectAsync(_cluster.Client, "gpu-node-002", $"first {_runId}");

        Assert.False(held.Confirmed);
        Assert.Equal(0, held.Version);
        Assert.Equal("EMERGENCY_STOP_UNCONFIRMED", direct.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        Assert.Single(_kernelLog.SnapshotContaining($"first {_runId}"));
        Assert.Empty(_kernelLog.SnapshotContaining($"direct {_runId}"));
        Assert.True((await _cluster.AgentStopAsync(1)).Confirmed);

        // The reconciler's pass pushes to an agent that holds the cluster's state (never engaged, version 0) unconfirmed.
        await _cluster.StopAgentAsync(0);
        await _cluster.StartAgentAsync(0);
        var restarted = await _cluster.AgentStopAsync(0);
        await ReconcileUntilAsync(async () => (await _cluster.AgentStopAsync(0)).Confirmed, "a reconciler's pass to confirm the restarted agent");
        var reconciled = await _cluster.AgentStopAsync(0);
        await _cluster.InjectDirectAsync(0, $"reconciled {_runId}");

        Assert.False(restarted.Confirmed);
        Assert.True(reconciled.Confirmed);
        Assert.Equal(0, reconciled.Version);
        Assert.Single(_kernelLog.SnapshotContaining($"reconciled {_runId}"));

        // A selector over both nodes, both agents restarted: each is confirmed and injected on its own.
        for (var i = 0; i < 2; i++)
        {
            await _cluster.StopAgentAsync(i);
            await _cluster.StartAgentAsync(i);
        }

        await _cluster.WaitUntilTheApiReachesAsync("gpu-node-001", "gpu-node-002");

        using var both = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_selector = "nvidia.com/gpu.present=true", count = 2, gpu_id = 0, message = $"both {_runId}" });

        Assert.True(both.StatusCode == HttpStatusCode.OK, await both.Content.ReadAsStringAsync());
        Assert.Equal(2, _kernelLog.SnapshotContaining($"both {_runId}").Count);
    }

    [RootFact]
    public async Task Inject_RestartedAgentHoldsAStateThatWinsOverTheClusters_Is503NamingTheNodeAndWritesNothing()
    {
        // Released above the cluster's state (never stopped, version 0) with the agent token, then a restart: the agent
        // holds it unconfirmed, and the API's push of the cluster's state loses to it.
        var ahead = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 60_000;
        await _cluster.CallAgentAsync(1, (c, m) => c.SetEmergencyStopAsync(
            new SetEmergencyStopRequest { State = new FaultInjection.Agent.V1.EmergencyStopState { ChangedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Version = ahead } }, m));
        await _cluster.StopAgentAsync(1);
        await _cluster.StartAgentAsync(1);
        await _cluster.WaitUntilTheApiReachesAsync("gpu-node-002");

        using var refused = await RealAgentCluster.InjectAsync(_cluster.Client, "gpu-node-002", $"ahead {_runId}");

        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, body);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Agent stop state unconfirmed", problem.GetProperty("title").GetString());
        Assert.Equal("gpu-node-002", problem.GetProperty("node_name").GetString());
        Assert.Equal("EMERGENCY_STOP_UNCONFIRMED", problem.GetProperty("reason").GetString());
        Assert.Contains($"version {ahead}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_kernelLog.SnapshotContaining(_runId));
        Assert.False((await _cluster.AgentStopAsync(1)).Confirmed);
    }

    /// <summary>
    /// Runs replica 0's reconcile pass (what its reconciler does every interval) until <paramref name="reached"/> holds: a
    /// pass reaches a restarted agent once the replica's channel to it has reconnected (gRPC backoff, at most ~2 s).
    /// </summary>
    private async Task ReconcileUntilAsync(Func<Task<bool>> reached, string what)
    {
        var coordinator = _cluster.App.Services.GetRequiredService<EmergencyStopCoordinator>();
        IReadOnlyList<AgentStopAcknowledgement> last = [];
        await Eventually.TrueAsync(
            async () =>
            {
                last = await coordinator.ReconcileAsync(CancellationToken.None);
                return await reached();
            },
            what,
            () => string.Join("; ", last.Select(a => $"{a.NodeName}: acknowledged {a.Acknowledged}, version {a.Version}, error {a.Error}")),
            TimeSpan.FromSeconds(60));
    }

    /// <summary>An injection on the returning agent's node through each replica is refused with the stop's 423, and writes nothing.</summary>
    private async Task AssertApiRefusesAsync(HttpClient otherReplica)
    {
        foreach (var client in new[] { _cluster.Client, otherReplica })
        {
            using var refused = await RealAgentCluster.InjectAsync(client, "gpu-node-002", $"through the api {_runId}");

            Assert.Equal(HttpStatusCode.Locked, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal($"agent down {_runId}", problem.GetProperty("reason").GetString());
        }
    }
}
