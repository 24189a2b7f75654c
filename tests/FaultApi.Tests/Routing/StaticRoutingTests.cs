using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Routing;
using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Routing;

/// <summary>Static mode: node names mapped to agent addresses in settings, no cluster.</summary>
public sealed class StaticRoutingTests : IAsyncLifetime, IDisposable
{
    private TestAgent _agent = null!;
    private ApiApplicationFactory _api = null!;

    public async Task InitializeAsync()
    {
        var address = LoopbackAddresses.Allocate(1)[0];
        _agent = await TestAgent.StartAsync("static-node", address, 0, ApiApplicationFactory.AgentToken);
        _api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:static-node"] = _agent.Address.ToString(),
            ["Routing:Static:Labels:static-node:pool"] = "lab",
        });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _agent.DisposeAsync();
    }

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Inject_StaticNode_RoutesToTheConfiguredAddress()
    {
        using var client = _api.CreateAuthenticatedClient();

        var response = await client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_selector = "pool=lab", count = 1 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("static-node", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faults")[0].GetProperty("node_name").GetString());
        Assert.Equal(1, _agent.Service.WrittenLines);
        Assert.IsType<StaticAgentDirectory>(_api.Services.GetRequiredService<IAgentDirectory>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "other" })).StatusCode);
    }
}
