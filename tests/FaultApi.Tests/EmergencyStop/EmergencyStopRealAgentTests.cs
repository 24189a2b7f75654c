using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Audit;
using FaultApi.EmergencyStop;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// The emergency stop end to end: the API (Kubernetes routing through the fake API server, the stop kept in its
/// ConfigMap) and two REAL agent processes writing the machine's /dev/kmsg, each with its own state directory
/// (<see cref="RealAgentCluster"/>). The kernel log is read by a <see cref="KernelLogRecorder"/> started before the
/// cluster, not with dmesg afterwards: the ring keeps ~1,500 records here, and other writers can overwrite a line the
/// agent read back before the test looks for it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopRealAgentTests : IAsyncLifetime
{
    private readonly string _runId = $"stop{Guid.NewGuid():N}"[..16];
    private RealAgentCluster _cluster = null!;
    private KernelLogRecorder _kernelLog = null!;

    public async Task InitializeAsync()
    {
        _kernelLog = KernelLogRecorder.Start();
        _cluster = new RealAgentCluster();
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
    public async Task Stop_RealAgents_RefusesEverywhere_ExpiresActiveFaults_FiresTheHook_AndReleaseRestores()
    {
        var before = await InjectAsync("gpu-node-001", $"before {_runId}");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var faultId = (await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fault_id").GetString()!;
        var stoppedToken = _cluster.App.Services.GetRequiredService<IEmergencyStopSignal>().StoppedToken;

        var engaged = await _cluster.Client.PostAsJsonAsync("/api/v1/stop", new { reason = $"monitor paged {_runId}" });

        Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
        var state = await engaged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(state.GetProperty("engaged").GetBoolean());
        Assert.Equal("alice", state.GetProperty("changed_by").GetString());
        Assert.All(state.GetProperty("agents").EnumerateArray(), a => Assert.True(a.GetProperty("acknowledged").GetBoolean(), a.ToString()));
        Assert.Equal(2, state.GetProperty("agents").GetArrayLength());

        // The cluster store: the ConfigMap in the API's namespace.
        var map = _cluster.Kube.GetConfigMap("fault-injection-system", "fault-injection-stop");
        Assert.NotNull(map);
        Assert.Equal("true", map.Data["engaged"]);
        Assert.Equal("alice", map.Data["changed_by"]);

        // The drills hook fired once, and the signal's token is cancelled.
        var told = Assert.Single(_cluster.Listener.States);
        Assert.Equal($"monitor paged {_runId}", told.Reason);
        Assert.True(stoppedToken.IsCancellationRequested);

        // Refused through the API on every node, 423 naming who, when and why.
        foreach (var node in new[] { "gpu-node-001", "gpu-node-002" })
        {
            var refused = await InjectAsync(node, $"during {_runId}");
            Assert.Equal(HttpStatusCode.Locked, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("alice", problem.GetProperty("stopped_by").GetString());
            Assert.Equal($"monitor paged {_runId}", problem.GetProperty("reason").GetString());
            Assert.True(problem.TryGetProperty("stopped_at", out _));
        }

        // Refused by each agent itself: gRPC FAILED_PRECONDITION + ErrorInfo EMERGENCY_STOP, and its HTTP route 423.
        for (var i = 0; i < 2; i++)
        {
            var rpc = await Assert.ThrowsAsync<RpcException>(() => InjectDirectAsync(i, $"during {_runId}"));
            Assert.Equal(StatusCode.FailedPrecondition, rpc.StatusCode);
            var info = rpc.GetRpcStatus()!.GetDetail<ErrorInfo>();
            Assert.Equal("EMERGENCY_STOP", info.Reason);
            Assert.Equal("alice", info.Metadata["stopped_by"]);
            Assert.Equal($"monitor paged {_runId}", info.Metadata["reason"]);
            Assert.False(string.IsNullOrEmpty(info.Metadata["stopped_at"]));
            Assert.Equal(HttpStatusCode.Locked, (await InjectDirectHttpAsync(i, $"during {_runId}")).StatusCode);
        }

        Assert.Empty(KernelLogContaining($"during {_runId}"));

        // The fault that was active is expired, and its record says why.
        var fault = await _cluster.Client.GetFromJsonAsync<JsonElement>($"/api/v1/faults/{faultId}");
        Assert.Equal("expired", fault.GetProperty("state").GetString());
        Assert.Equal($"emergency stop by alice: monitor paged {_runId}", fault.GetProperty("ended_reason").GetString());
        var active = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults?active_only=true");
        Assert.Equal(0, active.GetProperty("count").GetInt32());

        var released = await _cluster.Client.DeleteAsync("/api/v1/stop");
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        var releasedState = await released.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(releasedState.GetProperty("engaged").GetBoolean());
        Assert.All(releasedState.GetProperty("agents").EnumerateArray(), a => Assert.True(a.GetProperty("acknowledged").GetBoolean(), a.ToString()));
        Assert.Equal("false", _cluster.Kube.GetConfigMap("fault-injection-system", "fault-injection-stop")!.Data["engaged"]);
        Assert.False(_cluster.App.Services.GetRequiredService<IEmergencyStopSignal>().StoppedToken.IsCancellationRequested);

        var after = await InjectAsync("gpu-node-002", $"after {_runId}");
        Assert.True(after.StatusCode == HttpStatusCode.OK, await after.Content.ReadAsStringAsync());
        Assert.Single(KernelLogContaining($"after {_runId}"));

        // Audit: one structured event per state-changing call, and the agents' trail through the audit route.
        var audit = _cluster.Logs.Events.Where(e => e.Category == LoggerAuditLog.Category).ToList();
        Assert.Equal(["inject", "stop", "inject", "inject", "release", "inject"], audit.Select(e => (string)e.Properties["Action"]!));
        Assert.All(audit, e => Assert.Equal("alice", e.Properties["Caller"]));
        Assert.Equal(faultId, audit[0].Properties["FaultIds"]);
        Assert.Equal(423, audit[2].Properties["Status"]);
        Assert.Equal("gpu-node-001", audit[0].Properties["Target"]);

        var trail = await _cluster.Client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"))}");
        var events = trail.GetProperty("events").EnumerateArray().ToList();
        Assert.Empty(trail.GetProperty("errors").EnumerateArray());
        Assert.Contains(events, e => e.GetProperty("action").GetString() == "inject" && e.GetProperty("fault_id").GetString() == faultId && e.GetProperty("caller").GetString() == "fault-api/alice");
        Assert.Contains(events, e => e.GetProperty("action").GetString() == "stop" && e.GetProperty("fault_id").GetString() == faultId && e.GetProperty("caller").GetString() == "alice");
        Assert.Equal(2, events.Count(e => e.GetProperty("action").GetString() == "stop" && e.GetProperty("result").GetString() == "engaged"));
        Assert.Equal(2, events.Count(e => e.GetProperty("action").GetString() == "release"));
        var times = events.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
    }

    [RootFact]
    public async Task Stop_AgentRestartedWhileStopped_StillRefuses()
    {
        Assert.Equal(HttpStatusCode.OK, (await _cluster.Client.PostAsJsonAsync("/api/v1/stop", new { reason = "restart check" })).StatusCode);

        await _cluster.StopAgentAsync(0);
        await _cluster.StartAgentAsync(0);

        var rpc = await Assert.ThrowsAsync<RpcException>(() => InjectDirectAsync(0, $"restarted {_runId}"));
        Assert.Equal(StatusCode.FailedPrecondition, rpc.StatusCode);
        Assert.Equal("EMERGENCY_STOP", rpc.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Empty(KernelLogContaining($"restarted {_runId}"));
    }

    [RootFact]
    public async Task Stop_AgentDownWhenEngaged_GetsItWhenItComesBack()
    {
        await _cluster.StopAgentAsync(1);

        var engaged = await _cluster.Client.PostAsJsonAsync("/api/v1/stop", new { reason = "one agent down" });

        Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
        var answer = await engaged.Content.ReadFromJsonAsync<JsonElement>();
        var version = answer.GetProperty("version").GetInt64();
        var agents = answer.GetProperty("agents").EnumerateArray().ToDictionary(a => a.GetProperty("node_name").GetString()!, a => a.GetProperty("acknowledged").GetBoolean());
        Assert.True(agents["gpu-node-001"], answer.ToString());
        Assert.False(agents["gpu-node-002"], answer.ToString());

        // Back, with its old state directory (which never heard of the stop): the reconciler pushes it. Waited for as what
        // the rest needs — this agent, by name, engaged at this stop's version — rather than "every agent listed is
        // acknowledged"; a timeout names each agent's acknowledgement as last seen, and the agent's own copy is checked
        // before the injection, so a failure here says which step did not happen.
        await _cluster.StartAgentAsync(1);
        var seen = "nothing yet";
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await _cluster.Client.GetAsync(new Uri("/api/v1/stop", UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                seen = $"GET /api/v1/stop {(int)response.StatusCode}: {AcknowledgementsOf(body)}";
                return response.IsSuccessStatusCode && HoldsTheStop(JsonDocument.Parse(body).RootElement, "gpu-node-002", version);
            },
            $"the restarted agent on gpu-node-002 to acknowledge the stop (engaged, version {version})",
            () => seen,
            TimeSpan.FromSeconds(60));

        // Its own answer: the agent holds the stop, so it refuses and writes nothing.
        var held = await _cluster.AgentStopAsync(1);
        Assert.True(held.Engaged && held.Version == version, $"agent on gpu-node-002 holds engaged={held.Engaged} version={held.Version}; the API showed it acknowledged: {seen}");
        var rpc = await Assert.ThrowsAsync<RpcException>(() => InjectDirectAsync(1, $"late {_runId}"));
        Assert.Equal(StatusCode.FailedPrecondition, rpc.StatusCode);
        Assert.Equal("EMERGENCY_STOP", rpc.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Empty(KernelLogContaining($"late {_runId}"));
    }

    /// <summary>Whether <paramref name="state"/> (GET /api/v1/stop) lists <paramref name="node"/> acknowledged, engaged at <paramref name="version"/>.</summary>
    private static bool HoldsTheStop(JsonElement state, string node, long version) =>
        state.GetProperty("agents").EnumerateArray().Any(a =>
            a.GetProperty("node_name").GetString() == node
            && a.GetProperty("acknowledged").GetBoolean()
            && a.GetProperty("engaged").ValueKind == JsonValueKind.True
            && a.GetProperty("version").ValueKind == JsonValueKind.Number && a.GetProperty("version").GetInt64() == version);

    /// <summary>Each agent's acknowledgement in a GET /api/v1/stop answer, for a failure message (the body itself when it is not one).</summary>
    private static string AcknowledgementsOf(string body)
    {
        try
        {
            var agents = JsonDocument.Parse(body).RootElement.GetProperty("agents").EnumerateArray();
            return string.Join("; ", agents.Select(a => $"{a.GetProperty("node_name")}: acknowledged={a.GetProperty("acknowledged")} engaged={a.GetProperty("engaged")} version={a.GetProperty("version")} error={a.GetProperty("error")}"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body;
        }
    }

    private Task<HttpResponseMessage> InjectAsync(string node, string message) => RealAgentCluster.InjectAsync(_cluster.Client, node, message);

    private Task<InjectResponse> InjectDirectAsync(int i, string message) => _cluster.InjectDirectAsync(i, message);

    private Task<HttpResponseMessage> InjectDirectHttpAsync(int i, string message) => _cluster.InjectDirectHttpAsync(i, message);

    private IReadOnlyList<string> KernelLogContaining(string marker) => _kernelLog.SnapshotContaining(marker);
}
