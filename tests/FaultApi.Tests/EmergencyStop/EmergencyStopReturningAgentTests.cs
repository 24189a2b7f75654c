using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// An agent that was down when the stop was engaged and comes back with its old state directory holds the released state
/// until the reconciler reaches it (within <c>Stop:ReconcileIntervalSeconds</c>). Here the reconcilers run once an hour
/// (once at each replica's start, then no more), so that window stays open for the whole test: through the API nothing is
/// written meanwhile, even through a replica that started before the stop and was never told of it, because every
/// injection re-reads the cluster's state before it calls an agent. Two REAL agents writing the machine's /dev/kmsg, read
/// back by a <see cref="KernelLogRecorder"/> started before the cluster.
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
    public async Task Inject_AgentBackBeforeTheReconcilerReachedIt_IsRefusedByTheApiAndWritesNothing()
    {
        var otherReplica = await _cluster.AddReplicaClient();
        await _cluster.StopAgentAsync(1);
        var engaged = await _cluster.Client.PostAsJsonAsync("/api/v1/stop", new { reason = $"agent down {_runId}" });
        Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
        await _cluster.StartAgentAsync(1);

        // The window: the agent that came back still holds the released state (its state directory never heard of the stop).
        var held = await _cluster.AgentStopAsync(1);
        Assert.False(held.Engaged, $"the reconciler reached the agent already (it holds version {held.Version}): the window this test is about is closed");

        foreach (var client in new[] { _cluster.Client, otherReplica })
        {
            var refused = await RealAgentCluster.InjectAsync(client, "gpu-node-002", $"window {_runId}");

            Assert.Equal(HttpStatusCode.Locked, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal($"agent down {_runId}", problem.GetProperty("reason").GetString());
        }

        Assert.Empty(_kernelLog.SnapshotContaining($"window {_runId}"));
        var state = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/stop");
        var agent = state.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("node_name").GetString() == "gpu-node-002");
        Assert.False(agent.GetProperty("acknowledged").GetBoolean(), agent.ToString());
    }
}
