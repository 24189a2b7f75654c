using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Faults;

/// <summary>The API on real Kestrel (loopback, port 0), called as the seed's curl and pytest helpers call it.</summary>
public sealed class RealKestrelTests : IAsyncLifetime, IDisposable
{
    private TestAgent _agent = null!;
    private ApiApplicationFactory _api = null!;

    public async Task InitializeAsync()
    {
        _agent = await TestAgent.StartAsync("gpu-node-001", LoopbackAddresses.Allocate(1)[0], 0, ApiApplicationFactory.AgentToken);
        _api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:gpu-node-001"] = _agent.Address.ToString(),
        });
        _api.UseKestrel(0);
        _api.StartServer();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _agent.DisposeAsync();
    }

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task SeedCurlRequest_OverRealKestrel_Returns200WithFaultId()
    {
        using var client = _api.CreateClient();
        Assert.NotEqual("localhost", client.BaseAddress?.Host);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);
        using var body = new StringContent("{\"node_name\": \"gpu-node-001\", \"gpu_id\": 0}", Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/v1/faults/gpu/inject/xid-79", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(string.IsNullOrEmpty(json.GetProperty("fault_id").GetString()));
        Assert.Equal("injected", json.GetProperty("status").GetString());
        Assert.Equal(1, _agent.Service.WrittenLines);
    }

    [Fact]
    public async Task InjectXid_OverRealKestrel_AnswersWithItsLength_NotChunked()
    {
        using var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);
        using var body = new StringContent("{\"node_name\": \"gpu-node-001\", \"gpu_id\": 0}", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/v1/faults/gpu/inject/xid-79", body);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("injected", JsonDocument.Parse(bytes).RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InjectXid_BodyOver64KiB_413ProblemAndNothingSentToTheAgent(bool chunked)
    {
        using var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);
        using var body = new StringContent($$"""{"node_name": "gpu-node-001", "gpu_id": 0, "message": "{{new string('a', 65 * 1024)}}"}""", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = body };
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await client.SendAsync(request);

        _ = await ProblemResponse.ReadAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal("The request body must be at most 65536 bytes (64 KiB).", problem.GetProperty("detail").GetString());
        Assert.Equal(0, _agent.Service.WrittenLines);
    }
}
