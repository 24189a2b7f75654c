using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Auth;

/// <summary>Callers need a bearer token from Auth:TokenFile (reloaded on change); health, ready and OpenAPI are open.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    public async Task Inject_WithoutAValidToken_Is401ProblemAndWritesNothing(string? authorization)
    {
        using var client = _cluster.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(new { node_name = "gpu-node-001" }) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.SendAsync(request);

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(0, _cluster.Agents[0].Service.WrittenLines);
    }

    [Theory]
    [InlineData("/api/v1/faults")]
    [InlineData("/api/v1/faults/some-id")]
    [InlineData("/api/v1/nodes")]
    [InlineData("/api/v1/faults/gpu/xid-types")]
    public async Task Reads_WithoutToken_Are401(string path)
    {
        using var client = _cluster.Api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task OpenRoutes_WithoutToken_Answer(string path)
    {
        using var client = _cluster.Api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task BareToken_IsAccepted_AndNamedByItsPosition()
    {
        using var client = _cluster.Api.CreateAuthenticatedClient(ApiApplicationFactory.BareToken);

        var response = await client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fault-api/token-2", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caller").GetString());
    }

    [Fact]
    public async Task TokenFile_Changed_IsReloaded()
    {
        using var client = _cluster.Api.CreateAuthenticatedClient("bob-new-token-0123456789abcdef");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/faults")).StatusCode);

        await File.WriteAllTextAsync(_cluster.Api.CallerTokenFile, "bob:bob-new-token-0123456789abcdef\n");
        File.SetLastWriteTimeUtc(_cluster.Api.CallerTokenFile, DateTime.UtcNow.AddSeconds(5));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/faults")).StatusCode);
        using var alice = _cluster.Api.CreateAuthenticatedClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/v1/faults")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheRoutes()
    {
        using var client = _cluster.Api.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/faults/gpu/inject/xid-{xid}", out _));
        Assert.True(paths.TryGetProperty("/api/v1/faults/{faultId}/recover", out _));
        Assert.True(paths.TryGetProperty("/api/v1/nodes", out _));
    }
}
