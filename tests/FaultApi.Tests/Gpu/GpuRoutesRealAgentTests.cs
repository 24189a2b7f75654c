using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Gpu;

/// <summary>
/// The <c>/api/v1/gpu</c> routes through real Kestrel, the fake Kubernetes API and two REAL agents running stand-in
/// nvidia-smi scripts in a stand-in host namespace; a third agent is down and a fourth node has none.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class GpuRoutesRealAgentTests(RealGpuCluster cluster) : IClassFixture<RealGpuCluster>
{
    private readonly HttpClient _client = cluster.Client;

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static double? Known(string text) => text == "[N/A]" ? null : Number(text);

    private static void AssertDownNodeError(JsonElement body)
    {
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(RealGpuCluster.DownNode, error.GetProperty("node_name").GetString());
        Assert.Equal(503, error.GetProperty("status").GetInt32());
        Assert.Equal("Unavailable", error.GetProperty("grpc_status").GetString());
    }

    [RootFact]
    public async Task ListNodes_TwoAgentsUpOneDown_EveryGpuWithMetrics_DownNodeInErrors()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>("/api/v1/gpu/nodes?refresh=true");

        var nodes = body.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal([RealGpuCluster.H200Node, RealGpuCluster.A100Node], nodes.Select(n => n.GetProperty("node_name").GetString()));
        Assert.Equal(2, body.GetProperty("node_count").GetInt32());
        Assert.Equal(10, body.GetProperty("gpu_count").GetInt32());
        AssertDownNodeError(body);
        var h200 = nodes[0];
        Assert.Equal("550.127.05", h200.GetProperty("driver_version").GetString());
        Assert.False(h200.GetProperty("cached").GetBoolean());
        var gpus = h200.GetProperty("gpus").EnumerateArray().ToList();
        Assert.Equal(8, gpus.Count);
        Assert.Equal(cluster.H200Table["uuid"], gpus.Select(g => g.GetProperty("uuid").GetString()));
        Assert.Equal("NVIDIA H200", gpus[0].GetProperty("name").GetString());
        Assert.Equal("0000:18:00.0", gpus[0].GetProperty("pci_bus_id").GetString());
        Assert.Equal(Number(cluster.H200Table["memory.used"][0]), gpus[0].GetProperty("memory_used_mib").GetDouble());
        Assert.Equal(30, gpus[0].GetProperty("temperature_celsius").GetDouble());
        Assert.Equal(512.34, gpus[0].GetProperty("power_draw_watts").GetDouble());
        Assert.Equal(JsonValueKind.Null, gpus[7].GetProperty("power_draw_watts").ValueKind); // [N/A] is null, not 0
        Assert.True(gpus[3].GetProperty("has_uncorrected_ecc_errors").GetBoolean());
        Assert.True(gpus[3].GetProperty("remapped_rows_pending").GetBoolean());
        Assert.Equal(JsonValueKind.Null, gpus[0].GetProperty("retired_pages_pending").ValueKind);
    }

    [RootFact]
    public async Task GetNode_Cached_ThenRefresh_RunsNvidiaSmiAgain()
    {
        await _client.GetFromJsonAsync<JsonElement>($"/api/v1/gpu/nodes/{RealGpuCluster.A100Node}?refresh=true");
        var cached = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/gpu/nodes/{RealGpuCluster.A100Node}");
        var refreshed = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/gpu/nodes/{RealGpuCluster.A100Node}?refresh=true");

        Assert.True(cached.GetProperty("cached").GetBoolean());
        Assert.False(refreshed.GetProperty("cached").GetBoolean());
        Assert.Equal(RealGpuCluster.A100Node, refreshed.GetProperty("node_name").GetString());
        var gpus = refreshed.GetProperty("gpus").EnumerateArray().ToList();
        Assert.Equal(2, refreshed.GetProperty("gpu_count").GetInt32());
        Assert.Equal("NVIDIA A100-SXM4-80GB", gpus[1].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, gpus[1].GetProperty("temperature_celsius").ValueKind);
        Assert.Equal(81920, gpus[1].GetProperty("memory_total_mib").GetDouble());
    }

    [RootTheory]
    [InlineData(RealGpuCluster.DownNode, HttpStatusCode.ServiceUnavailable, "Agent unavailable")]
    [InlineData(RealGpuCluster.NodeWithoutAgent, HttpStatusCode.ServiceUnavailable, "No agent on node")]
    [InlineData("gpu-node-999", HttpStatusCode.NotFound, "Unknown node")]
    public async Task GetNode_NoAnsweringAgentOrUnknownNode_Problem(string node, HttpStatusCode status, string title)
    {
        using var response = await _client.GetAsync(new Uri($"/api/v1/gpu/nodes/{node}", UriKind.Relative));

        var problem = await ProblemResponse.ReadAsync(response, status);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(node, problem.GetProperty("node_name").GetString());
    }

    [RootFact]
    public async Task Summary_NullsLeftOutOfAveragesAndSums_EccAndPendingRemapsNamed()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>("/api/v1/gpu/summary?refresh=true");

        // Expected from the two tables the stand-in nvidia-smi prints; [N/A] values are not counted.
        var h200 = cluster.H200Table;
        var temperatures = h200["temperature.gpu"].Select(Number).Append(50).ToList();
        var utilisation = h200["utilization.gpu"].Select(Number).Append(20).ToList();
        var total = h200["memory.total"].Sum(Number) + 81920 + 81920;
        var used = h200["memory.used"].Sum(Number) + 1000;
        var totalWithUsed = h200["memory.total"].Sum(Number) + 81920;
        var power = h200["power.draw"].Select(Known).Where(v => v is not null).Sum(v => v!.Value) + 100.5;
        Assert.Equal(2, body.GetProperty("node_count").GetInt32());
        Assert.Equal(10, body.GetProperty("gpu_count").GetInt32());
        Assert.Equal(Math.Round(temperatures.Average(), 2), body.GetProperty("average_temperature_celsius").GetDouble());
        Assert.NotEqual(Math.Round(temperatures.Sum() / 10, 2), body.GetProperty("average_temperature_celsius").GetDouble());
        Assert.Equal(50, body.GetProperty("max_temperature_celsius").GetDouble());
        Assert.Equal(Math.Round(utilisation.Average(), 2), body.GetProperty("average_gpu_utilization_percent").GetDouble());
        Assert.Equal(utilisation.Max(), body.GetProperty("max_gpu_utilization_percent").GetDouble());
        Assert.Equal(total, body.GetProperty("total_memory_mib").GetDouble());
        Assert.Equal(used, body.GetProperty("used_memory_mib").GetDouble());
        Assert.Equal(Math.Round(used / totalWithUsed * 100, 2), body.GetProperty("memory_utilization_percent").GetDouble());
        Assert.Equal(Math.Round(power, 2), body.GetProperty("total_power_draw_watts").GetDouble(), 6);
        Assert.Equal(Math.Round((700.0 * 8) + 800, 2), body.GetProperty("total_power_limit_watts").GetDouble());
        var models = body.GetProperty("models").EnumerateArray().Select(m => (m.GetProperty("model").GetString(), m.GetProperty("gpu_count").GetInt32(), m.GetProperty("node_count").GetInt32())).ToList();
        Assert.Equal([("NVIDIA H200", 8, 1), ("NVIDIA A100-SXM4-80GB", 2, 1)], models);
        Assert.Equal(1, body.GetProperty("gpus_with_uncorrected_ecc_errors").GetInt32());
        Assert.Equal(1, body.GetProperty("gpus_with_pending_remaps").GetInt32());
        var ecc = Assert.Single(body.GetProperty("uncorrected_ecc_error_gpus").EnumerateArray());
        Assert.Equal(RealGpuCluster.H200Node, ecc.GetProperty("node_name").GetString());
        Assert.Equal(3, ecc.GetProperty("index").GetInt32());
        Assert.Equal(cluster.H200Table["uuid"][3], Assert.Single(body.GetProperty("pending_remap_gpus").EnumerateArray()).GetProperty("uuid").GetString());
        AssertDownNodeError(body);
    }

    [RootFact]
    public async Task Processes_OneNodeWithPmon_AndAllNodes_ProcessesNameTheirNodeAndGpu()
    {
        var one = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/gpu/processes?node={RealGpuCluster.H200Node}&pmon=true");
        var all = await _client.GetFromJsonAsync<JsonElement>("/api/v1/gpu/processes");

        var processes = one.GetProperty("processes").EnumerateArray().ToList();
        Assert.Equal(4, one.GetProperty("count").GetInt32());
        Assert.Equal([0, 1, 3, 7], processes.Select(p => p.GetProperty("gpu_index").GetInt32()));
        Assert.Equal([1328667L, 1328668, 1328669, 1758887], processes.Select(p => p.GetProperty("pid").GetInt64()));
        Assert.All(processes, p => Assert.Equal(RealGpuCluster.H200Node, p.GetProperty("node_name").GetString()));
        Assert.Equal(cluster.H200Table["uuid"][1], processes[1].GetProperty("gpu_uuid").GetString());
        Assert.Equal(130044, processes[1].GetProperty("used_memory_mib").GetDouble());
        Assert.Equal([2, 4, 5, 6], one.GetProperty("pmon").EnumerateArray().Select(s => s.GetProperty("gpu_index").GetInt32()));
        Assert.Empty(one.GetProperty("errors").EnumerateArray());

        Assert.Equal(4, all.GetProperty("count").GetInt32()); // the A100 node runs none
        Assert.Equal(JsonValueKind.Null, all.GetProperty("pmon").ValueKind);
        Assert.Equal([RealGpuCluster.H200Node, RealGpuCluster.A100Node], all.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        AssertDownNodeError(all);
    }

    [RootFact]
    public async Task GpuRoutes_WithoutToken_401()
    {
        using var anonymous = cluster.AnonymousClient();

        using var response = await anonymous.GetAsync(new Uri("/api/v1/gpu/summary", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
