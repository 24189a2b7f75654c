using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Problems;

/// <summary>
/// An agent address whose endpoint speaks HTTP/1.1 only (a real Kestrel on loopback with <c>HttpProtocols.Http1</c>, as a
/// gRPC port overridden by configuration would): the agent answers the API's HTTP/2 with HTTP_1_1_REQUIRED, which the API
/// reports as a 502 naming the node, the address and the cause, not as a 500 "Internal error". The API reaches it through
/// an <see cref="AnswerAfterRequestRelay"/>, so that refusal reaches the API's call itself: straight on loopback, 2 of 30
/// first calls lost the cause to the connection shutting down before the call had a stream (503, see
/// <see cref="DroppingAgentTests"/>).
/// </summary>
public sealed class Http1OnlyAgentTests : IAsyncLifetime, IDisposable
{
    private WebApplication _http1 = null!;
    private AnswerAfterRequestRelay _relay = null!;
    private ApiApplicationFactory _api = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Only the endpoint below: no appsettings.json of this output folder (the agent's, copied there through the
        // project reference, names the agent's fixed endpoints) may add addresses to this server.
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1));
        _http1 = builder.Build();
        _http1.MapFallback(() => "an HTTP/1.1 server");
        await _http1.StartAsync();
        var http1 = new Uri(_http1.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        _relay = new AnswerAfterRequestRelay(new IPEndPoint(IPAddress.Loopback, http1.Port));
        _address = _relay.Address;
        _api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:gpu-http1"] = _address.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _relay.DisposeAsync();
        await _http1.DisposeAsync();
    }

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task InjectXid_AgentEndpointHttp1Only_Returns502NamingNodeAddressAndProtocol()
    {
        using var client = _api.CreateAuthenticatedClient();

        var response = await client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-http1", gpu_id = 0 });

        Assert.True(response.StatusCode == HttpStatusCode.BadGateway, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(502, problem.GetProperty("status").GetInt32());
        Assert.Equal("Agent speaks the wrong protocol", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("'gpu-http1'", detail, StringComparison.Ordinal);
        Assert.Contains(_address.ToString(), detail, StringComparison.Ordinal);
        Assert.Contains("the agent's gRPC endpoint does not speak HTTP/2", detail, StringComparison.Ordinal);
        Assert.Equal("gpu-http1", problem.GetProperty("node_name").GetString());
        Assert.Equal(_address.ToString(), problem.GetProperty("agent_address").GetString());
    }

    [Fact]
    public async Task ListNodes_AgentEndpointHttp1Only_ReportsThe502AsThatNodesError()
    {
        using var client = _api.CreateAuthenticatedClient();

        var response = await client.GetAsync(new Uri("/api/v1/nodes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal("gpu-http1", error.GetProperty("node_name").GetString());
        Assert.Equal(502, error.GetProperty("status").GetInt32());
        Assert.Contains("does not speak HTTP/2", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
