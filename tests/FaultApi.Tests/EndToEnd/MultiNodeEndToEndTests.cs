using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// End to end over three network-namespaced nodes: HTTP to the real API process, the fake Kubernetes API for routing,
/// gRPC over veth links to three real agents, and the machine's real kernel log — read by a
/// <see cref="KernelLogRecorder"/> started with each test, not with dmesg afterwards: the ring keeps ~1,500 records
/// here, and other writers (a benchmark, the other test assembly, a flood) overwrite a line the agent wrote and read
/// back before dmesg would look for it (a run beside benchmarks/run.sh found 1 of the 3 lines this way).
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
        using var kernelLog = KernelLogRecorder.Start();
        using var client = cluster.CreateClient();
        var marker = $"{cluster.RunId}-each";
        var proofs = new Dictionary<string, (string Line, ulong Sequence)>();

        foreach (var node in cluster.Nodes)
        {
            var fault = await InjectAsync(client, node, gpuId: 3, $"{marker}-{node.Name}");
            Assert.Equal(node.Name, fault.GetProperty("node_name").GetString());
            var line = fault.GetProperty("line").GetString()!;
            Assert.Contains($"PCI:{node.XidPci[3]}): 79, ", line, StringComparison.Ordinal);
            // The record's text is the driver's form of the line ("NVRM: " before it).
            var proof = Assert.Single(fault.GetProperty("records").EnumerateArray(), r => r.GetProperty("text").GetString()!.EndsWith(line, StringComparison.Ordinal));
            proofs[node.Name] = (proof.GetProperty("text").GetString()!, proof.GetProperty("sequence").GetUInt64());
        }

        var records = kernelLog.Snapshot();
        kernelLog.AssertNoneLost();
        var lines = KernelLogRecorder.Containing(records, marker);
        Assert.True(lines.Count == cluster.Nodes.Count, $"{lines.Count} kernel log line(s) carry {marker}, one per node expected: {string.Join(" | ", lines)}");
        foreach (var node in cluster.Nodes)
        {
            var line = Assert.Single(lines, l => l.EndsWith($"{marker}-{node.Name}", StringComparison.Ordinal));
            Assert.Contains($"NVRM: Xid (PCI:{node.XidPci[3]}): 79, ", line, StringComparison.Ordinal);
            Assert.DoesNotContain(cluster.Nodes.Where(n => n != node), n => line.Contains(n.XidPci[3], StringComparison.Ordinal));

            // The agent's proof names its own record: the kernel log holds exactly its line at that sequence.
            var (written, sequence) = proofs[node.Name];
            Assert.True(
                records.TryGetValue(sequence, out var atProof) && atProof == written,
                $"{node.Name}'s fault names sequence {sequence} as its record; the kernel log holds {(atProof is null ? "no record" : $"'{atProof}'")} there, its line is at {string.Join(", ", records.Where(r => r.Value == written).Select(r => r.Key))}");
        }
    }

    [RootFact]
    public async Task KillOneAgent_ListAndInject_ReportThatNodeAlone_OthersStillServe()
    {
        using var kernelLog = KernelLogRecorder.Start();
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
            var problem = await ProblemResponse.ReadAsync(deadInject, UnreachableHttpStatuses);
            Assert.Equal(dead.Name, problem.GetProperty("node_name").GetString());

            foreach (var node in alive)
            {
                await InjectAsync(client, node, gpuId: 1, $"{marker}-after-{node.Name}");
            }

            var lines = kernelLog.SnapshotContaining(marker);
            Assert.DoesNotContain(lines, l => l.EndsWith($"{marker}-dead", StringComparison.Ordinal));
            Assert.All(alive, n => Assert.True(
                lines.Count(l => l.EndsWith($"{marker}-after-{n.Name}", StringComparison.Ordinal)) == 1,
                $"one line of {marker}-after-{n.Name} expected; the kernel log's lines of {marker}: {string.Join(" | ", lines)}"));
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
}
