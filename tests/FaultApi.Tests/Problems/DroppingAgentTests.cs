using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Problems;

/// <summary>
/// An agent address whose new connections are dropped — closed (FIN) or reset (RST) on accept, or once the API's HTTP/2
/// preface was read — as for an agent restarting or being killed, or a node's network cutting connections: the API
/// answers 503 "Agent unavailable" naming the node and the address (retryable, as any UNAVAILABLE), never 502 "Agent
/// speaks the wrong protocol". SocketsHttpHandler raises "did not complete the HTTP/2 handshake" for these too; before,
/// that message alone made the 502 (the connections closed after the preface, 3 of 3 runs; closed on accept, the API's
/// last attempt met the closed socket earlier, "Error connecting to subchannel" or a write to a disposed stream, and was
/// a 503 already).
/// </summary>
public sealed class DroppingAgentTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task InjectXid_AgentConnectionsClosedOrReset_Returns503AgentUnavailableNamingNodeAndAddress(bool reset, bool afterPreface)
    {
        await using var agent = new ClosingTcpListener(reset, afterPreface);
        await using var api = Api(agent);
        using var client = api.CreateAuthenticatedClient();

        var response = await client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-dropping", gpu_id = 0 });

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Agent unavailable", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("'gpu-dropping'", detail, StringComparison.Ordinal);
        Assert.Contains(agent.Address.ToString(), detail, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP/1.1", detail, StringComparison.Ordinal);
        Assert.Equal("gpu-dropping", problem.GetProperty("node_name").GetString());
        Assert.True(agent.Closed > 0);
    }

    [Fact]
    public async Task ListNodes_AgentConnectionsClosedAfterThePreface_ReportsA503AsThatNodesError()
    {
        await using var agent = new ClosingTcpListener(reset: false, afterPreface: true);
        await using var api = Api(agent);
        using var client = api.CreateAuthenticatedClient();

        var response = await client.GetAsync(new Uri("/api/v1/nodes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal("gpu-dropping", error.GetProperty("node_name").GetString());
        Assert.Equal(503, error.GetProperty("status").GetInt32());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("is unavailable", message, StringComparison.Ordinal);
        Assert.DoesNotContain("does not speak HTTP/2", message, StringComparison.Ordinal);
    }

    private static ApiApplicationFactory Api(ClosingTcpListener agent) => new(new Dictionary<string, string?>
    {
        ["Routing:Mode"] = "Static",
        ["Routing:Static:Nodes:gpu-dropping"] = agent.Address.ToString(),
    });
}
