using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.OpenApi;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.OpenApi;

/// <summary>
/// What a generator needs from <c>/openapi/v1.json</c>: the bearer scheme on exactly the authenticated operations, a
/// summary, an operation id and a typed success answer on every operation, problem details for every error answer, and
/// every tag described. (The Redocly lint of the same document: <see cref="OpenApiLintTests"/>.)
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];
    private static readonly string[] InjectionAnswers = ["#/components/schemas/FaultResource", "#/components/schemas/MultiInjectionResource"];
    private TestCluster _cluster = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(1);
        using var client = _cluster.Api.CreateClient();
        _document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public void Security_ApiOperationsRequireTheBearerScheme_HealthAndReadyAreOpen()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty(BearerSecuritySchemeTransformer.SchemeName);
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var operations = Operations().ToList();
        Assert.True(operations.Count >= 29, $"{operations.Count} operations");
        foreach (var (path, method, operation) in operations)
        {
            var security = operation.GetProperty("security").EnumerateArray().ToList();
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                var requirement = Assert.Single(security);
                Assert.True(requirement.TryGetProperty(BearerSecuritySchemeTransformer.SchemeName, out _), $"{method} {path} requires the bearer scheme");
            }
            else
            {
                Assert.True(path is "/health" or "/ready", $"{method} {path} is open");
                Assert.Empty(security);
            }
        }
    }

    [Fact]
    public void Operations_EachHasSummaryIdSuccessBodyAndProblemDetailsForErrors()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, method, operation) in Operations())
        {
            var name = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{name} has a summary");
            Assert.True(ids.Add(operation.GetProperty("operationId").GetString()!), $"{name} has an operation id of its own");
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            var success = Assert.Single(responses, r => r.Name.StartsWith('2'));
            Assert.True(success.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{name}: its {success.Name} has a body");
            foreach (var error in responses.Where(r => r.Name[0] is '4' or '5'))
            {
                var media = Assert.Single(error.Value.GetProperty("content").EnumerateObject());
                Assert.Equal("application/problem+json", media.Name);
                var reference = media.Value.GetProperty("schema").GetProperty("$ref").GetString();
                Assert.Equal(error.Name == "400" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails", reference);
            }

            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                Assert.Contains(responses, r => r.Name == "401");
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/faults/gpu/inject/xid-{xid}")]
    [InlineData("/api/v1/faults/gpu/inject/sxid-{sxid}")]
    [InlineData("/api/v1/faults/gpu/inject/dcgm-field")]
    public void InjectRoutes_Success_IsOneFaultOrEveryNodesFaults_AndTheirProblemsAreTheCodes(string path)
    {
        var post = _document.GetProperty("paths").GetProperty(path).GetProperty("post");
        var schema = post.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");

        Assert.Equal(
            InjectionAnswers,
            schema.GetProperty("anyOf").EnumerateArray().Select(s => s.GetProperty("$ref").GetString()!).ToArray());
        var multi = _document.GetProperty("components").GetProperty("schemas").GetProperty("MultiInjectionResource");
        Assert.Equal("#/components/schemas/FaultResource", multi.GetProperty("properties").GetProperty("faults").GetProperty("items").GetProperty("$ref").GetString());
        var statuses = post.GetProperty("responses").EnumerateObject().Select(r => r.Name).Where(s => s[0] is '4' or '5').ToList();
        Assert.Subset(statuses.ToHashSet(), new HashSet<string> { "400", "401", "404", "409", "413", "415", "423", "429", "502", "503", "504" });
        Assert.DoesNotContain("403", statuses); // nothing in the API or the agent answers 403 (no roles)
    }

    [Fact]
    public void Tags_EveryOperationsTagIsDescribed()
    {
        var described = _document.GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("description").GetString());
        Assert.All(described, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), t.Key));
        foreach (var (path, method, operation) in Operations())
        {
            Assert.All(operation.GetProperty("tags").EnumerateArray(), t => Assert.True(described.ContainsKey(t.GetString()!), $"{method} {path}: tag {t}"));
        }
    }

    [Fact]
    public void Info_NamesTheProductVersionAndLicense_ServerHasNoTrailingSlash()
    {
        var info = _document.GetProperty("info");
        Assert.Equal(ApiDocumentTransformer.Title, info.GetProperty("title").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", info.GetProperty("version").GetString());
        Assert.Equal("Apache-2.0", info.GetProperty("license").GetProperty("identifier").GetString());
        Assert.All(_document.GetProperty("servers").EnumerateArray(), s => Assert.False(s.GetProperty("url").GetString()!.EndsWith('/')));
    }

    [Fact]
    public void Schemas_UnsignedIntegers_AreInt64WithTheirBounds()
    {
        var text = _document.GetRawText();
        Assert.DoesNotContain("\"uint32\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"uint64\"", text, StringComparison.Ordinal);
        var sequence = _document.GetProperty("components").GetProperty("schemas").GetProperty("KernelRecordResource").GetProperty("properties").GetProperty("sequence");
        Assert.Equal("int64", sequence.GetProperty("format").GetString());
        Assert.Equal(0, sequence.GetProperty("minimum").GetInt64());
    }

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        from path in _document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select (path.Name, operation.Name, operation.Value);
}
