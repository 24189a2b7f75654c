using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Problems;

/// <summary>Every error is RFC 7807 problem details with a clear message, the agent's status mapped as JSON transcoding maps it.</summary>
public sealed class ErrorShapeTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(2, new Dictionary<string, string?> { ["Agents:CallTimeoutSeconds"] = "1" });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task BadXid_Is400_WithTheAgentsFieldViolations()
    {
        var problem = await ProblemResponse.ReadAsync(await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-998", new { node_name = "gpu-node-001" }), HttpStatusCode.BadRequest);

        Assert.Contains("not in the catalog", problem.GetProperty("errors").GetProperty("xid")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("InvalidArgument", problem.GetProperty("grpc_status").GetString());
        Assert.Equal(0, _cluster.Agent("gpu-node-001").Service.WrittenLines);
    }

    [Theory]
    [InlineData("""{"node_name": "gpu-node-001", "gpu_id": 0, "gpu_id": 1}""", "gpu_id")]
    [InlineData("""{"node_name": "gpu-node-002", "node_name": "gpu-node-001"}""", "node_name")]
    [InlineData("""{"node_name": "gpu-node-001", "dry_run": true, "dry_run": false}""", "dry_run")]
    [InlineData("""{"node_name": "gpu-node-001", "dry_run": true, "DRY_RUN": false}""", "dry_run")] // names match case-insensitively
    public async Task FieldGivenTwice_Is400NamingIt_NothingWritten(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _cluster.Client.PostAsync("/api/v1/faults/gpu/inject/xid-79", content);

        var text = await response.Content.ReadAsStringAsync();
        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("more than once", problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("FaultApi.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.Equal(0, _cluster.Agent("gpu-node-001").Service.WrittenLines);
        Assert.Equal(0, _cluster.Agent("gpu-node-002").Service.WrittenLines);
    }

    [Fact]
    public async Task NotANumber_Is400()
    {
        var problem = await ProblemResponse.ReadAsync(await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-abc", new { node_name = "gpu-node-001" }), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("xid", out _));
    }

    [Fact]
    public async Task BadDuration_Is400_BadJson_Is400()
    {
        await ProblemResponse.ReadAsync(await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001", duration = -5 }), HttpStatusCode.BadRequest);
        using var broken = new StringContent("{\"node_name\": ", System.Text.Encoding.UTF8, "application/json");
        await ProblemResponse.ReadAsync(await _cluster.Client.PostAsync("/api/v1/faults/gpu/inject/xid-79", broken), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownGpu_Is404_FromTheAgent()
    {
        var problem = await ProblemResponse.ReadAsync(await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001", gpu_id = 7 }), HttpStatusCode.NotFound);
        Assert.Contains("no GPU 7", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdempotencyKeyReusedForAnotherRequest_Is409()
    {
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(new { node_name = "gpu-node-001" }) };
        first.Headers.Add("Idempotency-Key", "reused");
        using var other = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-48") { Content = JsonContent.Create(new { node_name = "gpu-node-001" }) };
        other.Headers.Add("Idempotency-Key", "reused");

        Assert.Equal(HttpStatusCode.OK, (await _cluster.Client.SendAsync(first)).StatusCode);
        var problem = await ProblemResponse.ReadAsync(await _cluster.Client.SendAsync(other), HttpStatusCode.Conflict);
        Assert.Equal("AlreadyExists", problem.GetProperty("grpc_status").GetString());
        Assert.Equal(1, _cluster.Agent("gpu-node-001").Service.WrittenLines);
    }

    [Fact]
    public async Task AgentTimeout_Is504_AndAListReportsItBesideTheOthers()
    {
        _cluster.Agent("gpu-node-002").Service.Hang = true;

        var problem = await ProblemResponse.ReadAsync(await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-002" }), HttpStatusCode.GatewayTimeout);
        Assert.Contains("did not answer within 1 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var list = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults");
        var error = Assert.Single(list.GetProperty("errors").EnumerateArray());
        Assert.Equal("gpu-node-002", error.GetProperty("node_name").GetString());
        Assert.Equal(504, error.GetProperty("status").GetInt32());
        Assert.Equal("gpu-node-001", Assert.Single(list.GetProperty("nodes").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task AgentRefusesTheApiCredential_Is502WithAClearMessage()
    {
        await File.WriteAllTextAsync(_cluster.Api.AgentTokenFile, "not-the-agent-token\n");

        var problem = await ProblemResponse.ReadAsync(await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001" }), HttpStatusCode.BadGateway);

        Assert.Contains("Agents:TokenFile", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultiNode_OneAgentDown_ReportsWhatWasInjectedAndWhatFailed()
    {
        _cluster.Kube.Upsert(FakeKubeApiServer.Node("gpu-node-009", new Dictionary<string, string> { ["pool"] = "even" }));
        _cluster.SetPod(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-00009", "gpu-node-009", _cluster.Addresses[2].ToString()));
        await Infrastructure.Eventually.TrueAsync(() => _cluster.Directory.TryGetAgent("gpu-node-009", out _), "the pod of the dead agent");

        var response = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_selector = "pool=even", count = 2 });

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Injection failed on some nodes", problem.GetProperty("title").GetString());
        Assert.Equal("gpu-node-001", Assert.Single(problem.GetProperty("faults").EnumerateArray()).GetProperty("node_name").GetString());
        Assert.Equal("gpu-node-009", Assert.Single(problem.GetProperty("node_errors").EnumerateArray()).GetProperty("node_name").GetString());
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, _cluster.Agent("gpu-node-001").Service.WrittenLines);
    }

    [Fact]
    public async Task UnknownFault_Is404()
    {
        var problem = await ProblemResponse.ReadAsync(await _cluster.Client.DeleteAsync("/api/v1/faults/no-such-fault"), HttpStatusCode.NotFound);
        Assert.Contains("no-such-fault", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
