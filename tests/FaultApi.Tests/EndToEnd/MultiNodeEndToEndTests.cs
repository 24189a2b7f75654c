using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// End to end over three network-namespaced nodes: HTTP to the real API process, the fake Kubernetes API for routing,
/// gRPC over veth links to three real agents, and the machine's real kernel log (read back with <c>dmesg</c>).
/// </summary>
[Collection(MultiNodeClusterDefinition.Name)]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class MultiNodeEndToEndTests(MultiNodeCluster cluster)
{
    private static readonly int[] UnreachableStatuses = [503, 504];
    private static readonly HttpStatusCode[] UnreachableHttpStatuses = [HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    [RootFact]
    public async Task Inject_OnEveryNode_WritesOneKernelLineNamingThatNodesGpu()
    {
        using var client = cluster.CreateClient();
        var marker = $"{cluster.RunId}-each";

        foreach (var node in cluster.Nodes)
        {
            var fault = await InjectAsync(client, node, gpuId: 3, $"{marker}-{node.Name}");
            Assert.Equal(node.Name, fault.GetProperty("node_name").GetString());
            Assert.Contains($"PCI:{node.XidPci[3]}): 79, ", fault.GetProperty("line").GetString(), StringComparison.Ordinal);
        }

        var lines = await KernelLogLinesContainingAsync(marker);
        Assert.Equal(cluster.Nodes.Count, lines.Count);
        foreach (var node in cluster.Nodes)
        {
            var line = Assert.Single(lines, l => l.EndsWith($"{marker}-{node.Name}", StringComparison.Ordinal));
            Assert.Contains($"NVRM: Xid (PCI:{node.XidPci[3]}): 79, ", line, StringComparison.Ordinal);
            Assert.DoesNotContain(cluster.Nodes.Where(n => n != node), n => line.Contains(n.XidPci[3], StringComparison.Ordinal));
        }
    }

    [RootFact]
    public async Task KillOneAgent_ListAndInject_ReportThatNodeAlone_OthersStillServe()
    {
        using var client = cluster.CreateClient();
        var marker = $"{cluster.RunId}-kill";
        var faults = new Dictionary<string, string>();
        foreach (var node in cluster.Nodes)
        {
            var fault = await InjectAsync(client, node, gpuId: 0, $"{marker}-{node.Name}");
            faults[node.Name] = fault.GetProperty("fault_id").GetString()!;
        }

        var dead = cluster.Nodes[1];
        var alive = cluster.Nodes.Where(n => n != dead).ToList();
        await dead.Agent!.KillAsync();
        try
        {
            using var listResponse = await client.GetAsync(new Uri("/api/v1/faults?active_only=true", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, listResponse.StatusCode);
            var list = await listResponse.Content.ReadFromJsonAsync<JsonElement>();
            var listed = list.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("fault_id").GetString()).ToHashSet();
            foreach (var node in alive)
            {
                Assert.Contains(faults[node.Name], listed);
            }

            Assert.DoesNotContain(faults[dead.Name], listed);
            var error = Assert.Single(list.GetProperty("errors").EnumerateArray());
            Assert.Equal(dead.Name, error.GetProperty("node_name").GetString());
            Assert.Contains(error.GetProperty("status").GetInt32(), UnreachableStatuses);

            using var deadInject = await PostInjectAsync(client, dead, 0, $"{marker}-dead");
            Assert.Contains(deadInject.StatusCode, UnreachableHttpStatuses);
            Assert.Equal("application/problem+json", deadInject.Content.Headers.ContentType?.MediaType);
            var problem = await deadInject.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(dead.Name, problem.GetProperty("node_name").GetString());

            foreach (var node in alive)
            {
                await InjectAsync(client, node, gpuId: 1, $"{marker}-after-{node.Name}");
            }

            var lines = await KernelLogLinesContainingAsync(marker);
            Assert.DoesNotContain(lines, l => l.EndsWith($"{marker}-dead", StringComparison.Ordinal));
            Assert.All(alive, n => Assert.Single(lines, l => l.EndsWith($"{marker}-after-{n.Name}", StringComparison.Ordinal)));
        }
        finally
        {
            await dead.StartAgentAsync();
        }

        // The restarted agent recovers its registry from its journal: once the API's channel has reconnected (gRPC
        // reconnect backoff), its fault is listed again and no node errs.
        JsonElement recovered = default;
        await Eventually.TrueAsync(
            async () =>
            {
                recovered = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/faults?active_only=true", UriKind.Relative));
                return !recovered.GetProperty("errors").EnumerateArray().Any();
            },
            "the API to reach the restarted agent",
            TimeSpan.FromSeconds(60));
        Assert.Contains(recovered.GetProperty("faults").EnumerateArray(), f => f.GetProperty("fault_id").GetString() == faults[dead.Name]);
    }

    private static async Task<HttpResponseMessage> PostInjectAsync(HttpClient client, SimulatedNode node, int gpuId, string message) =>
        await client.PostAsJsonAsync(new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative), new { node_name = node.Name, gpu_id = gpuId, message });

    private static async Task<JsonElement> InjectAsync(HttpClient client, SimulatedNode node, int gpuId, string message)
    {
        using var response = await PostInjectAsync(client, node, gpuId, message);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"inject on {node.Name}: {(int)response.StatusCode} {body}");
        var fault = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal("injected", fault.GetProperty("status").GetString());
        return fault;
    }

    /// <summary>The kernel log's messages (<c>dmesg --raw</c>) that contain <paramref name="marker"/>.</summary>
    private static async Task<List<string>> KernelLogLinesContainingAsync(string marker)
    {
        var output = await HostCommand.RunAsync("dmesg", "--raw");
        return [.. output.Split('\n').Where(l => l.Contains(marker, StringComparison.Ordinal)).Select(l => l.TrimEnd())];
    }
}
