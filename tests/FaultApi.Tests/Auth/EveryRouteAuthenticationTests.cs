using System.Net;
using System.Text.RegularExpressions;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Auth;

/// <summary>
/// The security model's first claim, route by route: every route the API maps — read from its own endpoint table, so a
/// route added later is checked without being listed here — answers a request without a valid token with a 401 problem
/// and writes nothing, except <c>/health</c>, <c>/ready</c>, <c>/metrics</c> and <c>/openapi/v1.json</c>.
/// </summary>
public sealed partial class EveryRouteAuthenticationTests : IAsyncLifetime
{
    private static readonly HashSet<string> OpenRoutes = new(StringComparer.Ordinal) { "/health", "/ready", "/metrics", "/openapi/{documentName}.json" };

    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>What may stand in the Authorization header (one header, or two) of a request that must be refused.</summary>
    public static TheoryData<string?, string?> RefusedAuthorizations => new()
    {
        { null, null },
        { "", null },
        { "Bearer", null },
        { "Bearer ", null },
        { "Bearer wrong-token-0123456789abcdef", null },
        { "Basic YWxpY2U6c2VjcmV0", null },
        { "Bearer " + ApiApplicationFactory.AliceToken[..^1], null },
        { "Bearer " + ApiApplicationFactory.AliceToken + "x", null },
        { "Bearer " + new string('t', 8000), null },
        // Two headers, one of them valid: never the valid one alone.
        { "Bearer " + ApiApplicationFactory.AliceToken, "Bearer wrong-token-0123456789abcdef" },
        { "Bearer wrong-token-0123456789abcdef", "Bearer " + ApiApplicationFactory.AliceToken },
        { "Token " + ApiApplicationFactory.AliceToken, null },
        { ApiApplicationFactory.AliceToken, null },
    };

    [Theory]
    [MemberData(nameof(RefusedAuthorizations))]
    public async Task EveryRoute_WithoutAValidToken_Is401ProblemAndWritesNothing(string? authorization, string? secondAuthorization)
    {
        var routes = Routes();
        Assert.True(routes.Count > 30, $"only {routes.Count} routes found");
        using var client = _cluster.Api.CreateClient();
        var answers = new List<string>();
        foreach (var (method, pattern) in routes.Where(r => !OpenRoutes.Contains(r.Pattern)))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern));
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("""{"node_name": "gpu-node-001"}""", System.Text.Encoding.UTF8, "application/json");
            }

            foreach (var value in new[] { authorization, secondAuthorization }.OfType<string>())
            {
                request.Headers.TryAddWithoutValidation("Authorization", value);
            }

            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                answers.Add($"{method} {pattern}: {(int)response.StatusCode}");
                continue;
            }

            await ProblemResponse.ReadAsync(response, HttpStatusCode.Unauthorized);
        }

        Assert.Empty(answers);
        Assert.Equal(0, _cluster.Agents[0].Service.WrittenLines);
    }

    [Fact]
    public async Task OpenRoutes_WithoutToken_AreTheOnlyOnesAnswered()
    {
        using var client = _cluster.Api.CreateClient();
        var answered = new List<string>();
        foreach (var (method, pattern) in Routes().Where(r => r.Method == "GET"))
        {
            using var response = await client.GetAsync(Fill(pattern));
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                answered.Add(pattern);
            }
        }

        Assert.Equal(OpenRoutes.Order(StringComparer.Ordinal), answered.Order(StringComparer.Ordinal));
    }

    /// <summary>Every (method, route pattern) of the API's endpoint table.</summary>
    private List<(string Method, string Pattern)> Routes()
    {
        _ = _cluster.Client; // the host is built
        return
        [
            .. _cluster.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints
                .OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
                .Distinct(),
        ];
    }

    /// <summary>The route with each parameter a plausible value (a known node, a fault id, an Xid).</summary>
    private static string Fill(string pattern) => Parameter().Replace(pattern, m => m.Groups["name"].Value switch
    {
        "node" => "gpu-node-001",
        "xid" => "79",
        "sxid" => "12028",
        "documentName" => "v1",
        _ => "campaign-1",
    });

    [GeneratedRegex(@"\{(?<name>[A-Za-z0-9_]+)(:[^}]*)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
