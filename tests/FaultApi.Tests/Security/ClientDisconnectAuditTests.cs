using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Security;

/// <summary>
/// A caller that disconnects while its injection is on its way to the agent (held in the network, here a relay) does not
/// cancel it: the REAL API finishes the call, the REAL agent writes and records the fault, and the API's audit log has
/// the event with its outcome.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class ClientDisconnectAuditTests(AgentBehindRelayCluster cluster) : IClassFixture<AgentBehindRelayCluster>
{
    [RootFact]
    public async Task Inject_ClientDisconnectsMidCall_TheFaultIsWrittenAndAuditedWithItsOutcome()
    {
        var faultId = $"disconnect-{Guid.NewGuid():N}"[..30];
        using var api = cluster.ApiClient();
        var warm = await api.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = AgentBehindRelayCluster.NodeName, gpu_id = 0, dry_run = true });
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        cluster.Relay.Hold();
        using var leaving = new CancellationTokenSource();
        var call = api.PostAsJsonAsync(
            "/api/v1/faults/gpu/inject/xid-79",
            new { node_name = AgentBehindRelayCluster.NodeName, gpu_id = 2, fault_id = faultId, message = $"Graphics Engine Exception {faultId}" },
            leaving.Token);
        await Eventually.TrueAsync(() => cluster.Relay.HeldBytes > 0, "the API's call to the agent to wait in the network");
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await cluster.Api.Process.WaitForOutputAsync(l => l.Contains("disconnected before the answer", StringComparison.Ordinal) && l.Contains("inject", StringComparison.Ordinal), "the API to see the client leave");

        cluster.Relay.Release();

        var line = await cluster.Api.Process.WaitForOutputAsync(l => l.Contains("FaultApi.Audit", StringComparison.Ordinal) && l.Contains(faultId, StringComparison.Ordinal), "the audit event of the injection");
        var state = JsonDocument.Parse(line).RootElement.GetProperty("State");
        Assert.Equal("inject", state.GetProperty("Action").GetString());
        Assert.Equal("sec", state.GetProperty("Caller").GetString());
        Assert.Equal(AgentBehindRelayCluster.NodeName, state.GetProperty("Target").GetString());
        Assert.Equal("ok", state.GetProperty("Result").GetString());
        Assert.Equal(200, state.GetProperty("Status").GetInt32());
        Assert.Equal(faultId, state.GetProperty("FaultIds").GetString());
        Assert.Contains("client disconnected before the answer", state.GetProperty("Detail").GetString(), StringComparison.Ordinal);

        var fault = await api.GetFromJsonAsync<JsonElement>($"/api/v1/faults/{faultId}?node={AgentBehindRelayCluster.NodeName}");
        Assert.Equal("active", fault.GetProperty("state").GetString());
        Assert.Contains(faultId, fault.GetProperty("line").GetString(), StringComparison.Ordinal);
    }
}
