using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// The emergency stop under attack and races, against two REAL agents, the fake Kubernetes API server and API replicas
/// (<see cref="RealAgentCluster"/>): a stored or pushed version nobody could exceed, a release pushed with the agent token,
/// two replicas engaging and releasing at once, and an agent that cannot write the end of its faults. Each must leave
/// the stop engaged or answer a clear error; nothing reaches the kernel log while it is engaged.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopAbuseTests : IAsyncLifetime
{
    private readonly string _runId = $"abuse{Guid.NewGuid():N}"[..16];
    private readonly RealAgentCluster _cluster = new();
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agents could write: dmesg afterwards may have lost a line to other writers

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _kernelLog.Dispose();
    }

    [RootFact]
    public async Task Stop_ConfigMapEditedToVersionMaxValue_InjectionsStayRefused_TheStopIsWrittenBack_AndEngagingStillEngages()
    {
        Assert.Equal(HttpStatusCode.OK, (await Engage(_cluster.Client, $"paged {_runId}")).StatusCode);
        var replica = await _cluster.AddReplicaClient();

        // One ConfigMap edit: "released", at a version no later change could ever exceed.
        var map = _cluster.Kube.GetConfigMap(RealAgentCluster.Namespace, RealAgentCluster.ConfigMapName)!;
        map.Data["engaged"] = "false";
        map.Data["changed_by"] = "mallory";
        map.Data["version"] = long.MaxValue.ToString(CultureInfo.InvariantCulture);
        _cluster.Kube.Upsert(map);

        var refused = await RealAgentCluster.InjectAsync(replica, RealAgentCluster.NodeName(1), $"edited {_runId}");
        _ = await ProblemResponse.ReadAsync(refused, [HttpStatusCode.ServiceUnavailable, HttpStatusCode.Locked]);

        // The reconciler writes the last valid state back, at a version within a day of now.
        await Eventually.TrueAsync(
            () => _cluster.StoredStop is { } data && data["engaged"] == "true" && long.Parse(data["version"], CultureInfo.InvariantCulture) <= MaxVersionNow(),
            "the stop to be written back over the edited ConfigMap",
            TimeSpan.FromSeconds(60));

        var again = await Engage(replica, $"again {_runId}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var state = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(state.GetProperty("engaged").GetBoolean());
        Assert.True(state.GetProperty("version").GetInt64() <= MaxVersionNow());
        Assert.All(state.GetProperty("agents").EnumerateArray(), a => Assert.True(a.GetProperty("acknowledged").GetBoolean(), a.ToString()));
        Assert.Equal($"again {_runId}", _cluster.StoredStop!["reason"]);
        Assert.Equal(HttpStatusCode.Locked, (await RealAgentCluster.InjectAsync(replica, RealAgentCluster.NodeName(0), $"edited {_runId}")).StatusCode);
        Assert.Empty(_kernelLog.SnapshotContaining($"edited {_runId}"));
    }

    [RootFact]
    public async Task SetEmergencyStop_AgentTokenReleaseAtVersionMaxValue_IsRefused_TheAgentStaysStopped()
    {
        var engaged = await Engage(_cluster.Client, $"paged {_runId}");
        var version = (await engaged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();

        var rpc = await Assert.ThrowsAsync<RpcException>(() => _cluster.CallAgentAsync(0, (c, m) => c.SetEmergencyStopAsync(Release(long.MaxValue), m)));

        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Contains(rpc.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations, v => v.Field == "state.version" && v.Description.Contains("one day ahead", StringComparison.Ordinal));
        var held = await _cluster.AgentStopAsync(0);
        Assert.True(held.Engaged);
        Assert.Equal(version, held.Version);
        var refused = await Assert.ThrowsAsync<RpcException>(() => _cluster.InjectDirectAsync(0, $"pinned {_runId}"));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Empty(_kernelLog.SnapshotContaining($"pinned {_runId}"));
    }

    [RootFact]
    public async Task SetEmergencyStop_AgentTokenReleaseAtTheSameOrANewerVersion_NeverReleasesTheCluster_AndTheAgentIsStoppedAgain()
    {
        var engaged = await Engage(_cluster.Client, $"paged {_runId}");
        var version = (await engaged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();

        // At the same version a stop wins: the release is ignored.
        var same = await _cluster.CallAgentAsync(0, (c, m) => c.SetEmergencyStopAsync(Release(version), m));
        Assert.True(same.Engaged);

        // An hour ahead (within the day's bound) the agent takes it — it cannot tell who holds its token...
        var ahead = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        Assert.False((await _cluster.CallAgentAsync(0, (c, m) => c.SetEmergencyStopAsync(Release(ahead), m))).Engaged);

        // ...and the cluster writes its stop again above it: the agent is stopped again, the cluster was never released.
        await Eventually.TrueAsync(
            async () => await _cluster.AgentStopAsync(0) is { Engaged: true } held && held.Version > ahead,
            "the cluster to stop the agent again above the pushed release",
            TimeSpan.FromSeconds(60));
        var cluster = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/stop");
        Assert.True(cluster.GetProperty("engaged").GetBoolean());
        Assert.Equal($"paged {_runId}", cluster.GetProperty("reason").GetString());
        Assert.True(cluster.GetProperty("version").GetInt64() > ahead);
        Assert.All(_cluster.Listener.States, s => Assert.True(s.Engaged));
        var refused = await Assert.ThrowsAsync<RpcException>(() => _cluster.InjectDirectAsync(0, $"after {_runId}"));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Empty(_kernelLog.SnapshotContaining($"after {_runId}"));
    }

    [RootFact]
    public async Task Stop_TwoReplicasEngageAndReleaseAtOnce_EveryAnswerIsTrue_AndTheLastChangeHoldsOnEveryReplicaAndAgent()
    {
        var other = await _cluster.AddReplicaClient();
        for (var round = 0; round < 10; round++)
        {
            var engage = Engage(_cluster.Client, $"round {round} {_runId}");
            var release = other.DeleteAsync(new Uri($"/api/v1/stop?reason=round+{round}", UriKind.Relative));
            await Task.WhenAll(engage, release);

            var accepted = new List<(bool Engaged, long Version)>();
            foreach (var (asked, response) in new[] { (true, await engage), (false, await release) })
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    // 200 only when what was asked is what the cluster holds.
                    Assert.Equal(asked, body.GetProperty("engaged").GetBoolean());
                    accepted.Add((asked, body.GetProperty("version").GetInt64()));
                }
                else
                {
                    Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                    Assert.Equal(JsonValueKind.Object, body.GetProperty("stored_state").ValueKind);
                }
            }

            var last = Assert.Single(accepted, a => a.Version == accepted.Max(x => x.Version));
            var stored = _cluster.StoredStop!;
            Assert.Equal(last.Version, long.Parse(stored["version"], CultureInfo.InvariantCulture));
            Assert.Equal(last.Engaged ? "true" : "false", stored["engaged"]);
            for (var i = 0; i < 2; i++)
            {
                var held = await _cluster.AgentStopAsync(i);
                Assert.Equal((last.Engaged, last.Version), (held.Engaged, held.Version));
            }

            if (last.Engaged)
            {
                // A stop that answered 200 blocks every later injection, through either replica and on either agent.
                foreach (var client in new[] { _cluster.Client, other })
                {
                    Assert.Equal(HttpStatusCode.Locked, (await RealAgentCluster.InjectAsync(client, RealAgentCluster.NodeName(round % 2), $"race {_runId}")).StatusCode);
                }

                var refused = await Assert.ThrowsAsync<RpcException>(() => _cluster.InjectDirectAsync(round % 2, $"race {_runId}"));
                Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
            }
        }

        Assert.Empty(_kernelLog.SnapshotContaining($"race {_runId}"));
    }

    [RootFact]
    public async Task Stop_AgentCannotWriteItsJournal_HoldsTheStop_ListedAsExpiring_UntilEveryFaultIsExpired()
    {
        var node = RealAgentCluster.NodeName(0);
        var faultIds = new List<string>();
        foreach (var n in new[] { 1, 2 })
        {
            var injected = await RealAgentCluster.InjectAsync(_cluster.Client, node, $"held {n} {_runId}");
            Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
            faultIds.Add((await injected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fault_id").GetString()!);
        }

        using (var journal = ImmutableFile.Make(Path.Combine(_cluster.StateDirectory(0), "faults.journal")))
        {
            var engaged = await Engage(_cluster.Client, $"disk trouble {_runId}");

            Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
            var state = await engaged.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal([node], state.GetProperty("expiring").EnumerateArray().Select(e => e.GetString()));
            var agent = state.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("node_name").GetString() == node);
            Assert.True(agent.GetProperty("acknowledged").GetBoolean());
            Assert.Equal(2, agent.GetProperty("expiring_faults").GetInt32());
            Assert.Contains("faults.journal", agent.GetProperty("expiry_error").GetString(), StringComparison.Ordinal);

            var shown = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/stop");
            Assert.Equal([node], shown.GetProperty("expiring").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(HttpStatusCode.Locked, (await RealAgentCluster.InjectAsync(_cluster.Client, node, $"during {_runId}")).StatusCode);
        }

        // The disk is back: the agent's own retries end them, with no further call from the API.
        await Eventually.TrueAsync(
            async () =>
            {
                var shown = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/stop");
                var active = await _cluster.Client.GetFromJsonAsync<JsonElement>($"/api/v1/faults?active_only=true&node={node}");
                return shown.GetProperty("expiring").GetArrayLength() == 0 && active.GetProperty("count").GetInt32() == 0;
            },
            "the agent to expire every fault once its journal is writable again",
            TimeSpan.FromSeconds(90));
        foreach (var id in faultIds)
        {
            var fault = await _cluster.Client.GetFromJsonAsync<JsonElement>($"/api/v1/faults/{id}?node={node}");
            Assert.Equal("expired", fault.GetProperty("state").GetString());
            Assert.Equal($"emergency stop by alice: disk trouble {_runId}", fault.GetProperty("ended_reason").GetString());
        }

        Assert.Empty(_kernelLog.SnapshotContaining($"during {_runId}"));
    }

    private static Task<HttpResponseMessage> Engage(HttpClient client, string reason) =>
        client.PostAsJsonAsync("/api/v1/stop", new { reason });

    private static SetEmergencyStopRequest Release(long version) => new()
    {
        State = new FaultInjection.Agent.V1.EmergencyStopState
        {
            Engaged = false,
            ChangedBy = "mallory",
            ChangedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Reason = "agent token",
            Version = version,
        },
    };

    private static long MaxVersionNow() => DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
}
