using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Faults;

/// <summary>Injections on k nodes by label selector, and the blast-radius guard (at most 2 faulted nodes of 4, 75%).</summary>
public sealed class MultiNodeAndSafetyTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(4, new Dictionary<string, string?>
    {
        ["Safety:MaxFaultedNodes"] = "2",
        ["Safety:MaxFaultedNodeFraction"] = "0.75",
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private int Written() => _cluster.Agents.Sum(a => a.Service.WrittenLines);

    private async Task<HttpResponseMessage> InjectAsync(object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await _cluster.Client.SendAsync(request);
    }

    [Fact]
    public async Task NodeSelector_Count2_InjectsOnTwoMatchingNodes()
    {
        var response = await InjectAsync(new { node_selector = "pool=odd", count = 2, fault_id = "drill" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("count").GetInt32());
        var nodes = body.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("node_name").GetString()).Order().ToList();
        Assert.Equal("gpu-node-002,gpu-node-004", string.Join(",", nodes));
        Assert.Equal("drill-gpu-node-002,drill-gpu-node-004", string.Join(",", body.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("fault_id").GetString()).Order()));
        Assert.Equal(2, Written());
    }

    [Fact]
    public async Task NodeSelector_SameIdempotencyKey_PicksTheSameNodesAndWritesOnce()
    {
        var first = await (await InjectAsync(new { node_selector = "nvidia.com/gpu.present=true", count = 1 }, "multi-key-1")).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await InjectAsync(new { node_selector = "nvidia.com/gpu.present=true", count = 1 }, "multi-key-1")).Content.ReadFromJsonAsync<JsonElement>();

        var a = first.GetProperty("faults")[0];
        var b = again.GetProperty("faults")[0];
        Assert.Equal(a.GetProperty("node_name").GetString(), b.GetProperty("node_name").GetString());
        Assert.Equal(a.GetProperty("fault_id").GetString(), b.GetProperty("fault_id").GetString());
        Assert.True(b.GetProperty("replayed").GetBoolean());
        Assert.Equal(1, Written());
    }

    [Fact]
    public async Task DcgmFieldSelector_SameIdempotencyKeyWithAnotherCount_Is409NamingTheRecordedNodes()
    {
        async Task<HttpResponseMessage> InjectFieldAsync(int count)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/dcgm-field")
            {
                Content = JsonContent.Create(new { node_selector = "pool=odd", count, gpu_id = 0, field = "230", value = 1 }),
            };
            request.Headers.Add("Idempotency-Key", "dcgm-multi-key-1");
            return await _cluster.Client.SendAsync(request);
        }

        using var first = await InjectFieldAsync(1);
        using var again = await InjectFieldAsync(2);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Idempotency-Key reused", problem.GetProperty("title").GetString());
        Assert.Single(problem.GetProperty("recorded_nodes").EnumerateArray());
        Assert.Equal(0, Written());
    }

    [Fact]
    public async Task BlastRadius_ThirdFaultedNode_Is409AndWritesNothing()
    {
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(new { node_name = "gpu-node-001" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(new { node_name = "gpu-node-002" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(new { node_name = "gpu-node-002", gpu_id = 1 })).StatusCode);

        var refused = await InjectAsync(new { node_name = "gpu-node-003" });

        var problem = await ProblemResponse.ReadAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal("Blast radius exceeded", problem.GetProperty("title").GetString());
        Assert.Equal(2, problem.GetProperty("limit").GetInt32());
        Assert.Contains("3 of 4", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, Written());

        // A dry run writes nothing, so the guard does not stop it; clearing a fault makes room again.
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(new { node_name = "gpu-node-003", dry_run = true })).StatusCode);
        var faults = await _cluster.Client.GetFromJsonAsync<JsonElement>("/api/v1/faults?node=gpu-node-001");
        var id = faults.GetProperty("faults")[0].GetProperty("fault_id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await _cluster.Client.DeleteAsync($"/api/v1/faults/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await InjectAsync(new { node_name = "gpu-node-003" })).StatusCode);
    }

    [Fact]
    public async Task BlastRadius_SelectorCountAboveLimit_Is409BeforeAnyWrite()
    {
        var refused = await InjectAsync(new { node_selector = "nvidia.com/gpu.present=true", count = 3 });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(0, Written());
    }

    [Fact]
    public async Task NodeSelector_TooFewMatches_Is409_BadSelector_Is400()
    {
        var few = await InjectAsync(new { node_selector = "pool=odd", count = 3 });
        var bad = await InjectAsync(new { node_selector = "pool in (odd", count = 1 });
        var both = await InjectAsync(new { node_selector = "pool=odd", node_name = "gpu-node-001" });

        Assert.Equal(HttpStatusCode.Conflict, few.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("node_selector", out _));
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(0, Written());
    }
}
