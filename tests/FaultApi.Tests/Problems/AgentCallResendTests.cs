using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Problems;

/// <summary>
/// The API sends an agent call a second time only when its first connection shut down before the call had a stream
/// (nothing of it written; see <see cref="Http1OnlyAgentTests"/>). A call that reached the agent is never sent again by
/// it: here a real agent (HTTP/2 Kestrel on loopback) clears the fault, and an <see cref="AnswerDroppingHttp2Relay"/>
/// between them resets the connection as the agent's answer starts, so the API gets a broken connection after the write.
/// </summary>
public sealed class AgentCallResendTests
{
    private const string NodeName = "gpu-node-001";

    [Fact]
    public async Task ClearFault_AgentClearedAndItsAnswerLost_503AndTheAgentClearedOnce()
    {
        var address = LoopbackAddresses.Allocate(1)[0];
        await using var agent = await TestAgent.StartAsync(NodeName, address, LoopbackAddresses.FreePort(address), ApiApplicationFactory.AgentToken);
        await using var relay = new AnswerDroppingHttp2Relay(agent.EndPoint);
        await using var api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            [$"Routing:Static:Nodes:{NodeName}"] = relay.Address.ToString(),
        });
        using var client = api.CreateAuthenticatedClient();
        using var injected = await client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = NodeName, gpu_id = 0 });
        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        var faultId = (await injected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fault_id").GetString()!;
        var marker = "clear-" + Guid.NewGuid().ToString("N")[..12];
        relay.DropAnswerTo(marker);

        // The marker is the clear's reason: only the ClearFault message carries it (the lookup before it, GetFault, does not).
        using var response = await client.DeleteAsync(new Uri($"/api/v1/faults/{faultId}?node={NodeName}&reason={marker}", UriKind.Relative));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, body);
        Assert.Equal("Agent unavailable", JsonDocument.Parse(body).RootElement.GetProperty("title").GetString());
        Assert.Equal(1, relay.Dropped);
        Assert.Equal(1, agent.Service.ClearCalls);
    }
}
