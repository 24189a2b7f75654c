using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.EmergencyStop;
using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// Static mode: the stop kept in <c>Stop:StateFile</c>, shared by replicas; the API refuses on its own even when an agent
/// cannot take the stop (the test agent does not implement it), and refuses when it cannot read the state.
/// </summary>
public sealed class StaticModeStopTests : IAsyncLifetime, IDisposable
{
    private readonly TestDirectory _shared = new();
    private readonly List<ApiApplicationFactory> _replicas = [];
    private TestAgent _agent = null!;

    private string StateFile => _shared.Combine("stop.json");

    public async Task InitializeAsync()
    {
        _agent = await TestAgent.StartAsync("static-node", LoopbackAddresses.Allocate(1)[0], 0, ApiApplicationFactory.AgentToken);
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _agent.DisposeAsync();
    }

    public void Dispose()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }

        _shared.Dispose();
    }

    [Fact]
    public async Task Stop_StaticMode_KeptInTheStateFile_AnotherReplicaRefusesToo()
    {
        using var first = Replica().CreateAuthenticatedClient();

        var engaged = await first.PostAsJsonAsync("/api/v1/stop", new { reason = "lab power work" });

        Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
        var body = await engaged.Content.ReadFromJsonAsync<JsonElement>();
        var agent = body.GetProperty("agents")[0];
        Assert.False(agent.GetProperty("acknowledged").GetBoolean());
        Assert.False(string.IsNullOrEmpty(agent.GetProperty("error").GetString()));
        Assert.Contains("\"engaged\": true", await File.ReadAllTextAsync(StateFile), StringComparison.Ordinal);

        using var second = Replica().CreateAuthenticatedClient();
        var refused = await second.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "static-node" });
        Assert.Equal(HttpStatusCode.Locked, refused.StatusCode);
        Assert.Equal("alice", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stopped_by").GetString());
        Assert.Equal(0, _agent.Service.WrittenLines);

        var dryRun = await second.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "static-node", dry_run = true });
        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await second.DeleteAsync("/api/v1/stop")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "static-node" })).StatusCode);
        Assert.Equal(1, _agent.Service.WrittenLines);
    }

    [Fact]
    public async Task Inject_SecondReplicaKeptTheReleasedState_RefusesRightAfterTheFirstEngagedWithoutReadingTheFilePerInjection()
    {
        var firstApi = Replica();
        var secondApi = Replica();
        using var first = firstApi.CreateAuthenticatedClient();
        using var second = secondApi.CreateAuthenticatedClient();
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsJsonAsync("/api/v1/stop", new { reason = "drill rehearsal" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.DeleteAsync("/api/v1/stop")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "static-node" })).StatusCode);
        var store = secondApi.Services.GetRequiredService<FileStopStateStore>();
        var reads = store.FileReads;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "static-node" })).StatusCode);
        }

        // The released state is kept: five injections, no read of the file (one statx each).
        Assert.Equal(reads, store.FileReads);

        // The first replica engages; the agent cannot take the stop (the test agent does not implement it), so only the
        // second replica's own check stands between the 200 and a write.
        var engaged = await first.PostAsJsonAsync("/api/v1/stop", new { reason = "lab power work" });
        Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
        Assert.False((await engaged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("agents")[0].GetProperty("acknowledged").GetBoolean());

        var refused = await second.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "static-node" });

        Assert.Equal(HttpStatusCode.Locked, refused.StatusCode);
        Assert.Equal("lab power work", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(reads + 1, store.FileReads);
        Assert.Equal(6, _agent.Service.WrittenLines);
    }

    [Fact]
    public async Task Inject_StateFileUnreadable_RefusedWith503_NothingWritten()
    {
        await File.WriteAllTextAsync(StateFile, "{ not json");
        using var client = Replica().CreateAuthenticatedClient();

        var refused = await client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "static-node" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("Stop:StateFile", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _agent.Service.WrittenLines);
    }

    [Fact]
    public async Task Stop_BadOrUnauthenticatedCalls_AreRefused()
    {
        var api = Replica();
        using var client = api.CreateAuthenticatedClient();
        using var anonymous = api.CreateAuthenticatedClient(token: null);

        var noReason = await client.PostAsJsonAsync("/api/v1/stop", new { reason = "  " });
        var control = await client.PostAsJsonAsync("/api/v1/stop", new { reason = "bad\u001b[31m" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/v1/stop")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/stop", new { reason = "x" })).StatusCode);
        Assert.False(File.Exists(StateFile));
    }

    private ApiApplicationFactory Replica()
    {
        var replica = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:static-node"] = _agent.Address.ToString(),
            ["Stop:StateFile"] = StateFile,
            ["Stop:ReconcileIntervalSeconds"] = "3600",
        });
        _replicas.Add(replica);
        return replica;
    }
}
