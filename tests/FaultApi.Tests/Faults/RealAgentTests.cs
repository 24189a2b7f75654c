using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Faults;

/// <summary>
/// The API routing, through the fake Kubernetes API server, to two REAL agents (child processes) on distinct loopback
/// addresses sharing one gRPC port, each with its own simulated /proc tree and its own target mount namespace process,
/// writing the machine's real /dev/kmsg (checked with <c>dmesg</c>).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class RealAgentTests : IAsyncLifetime, IDisposable
{
    private readonly string _runId = $"run{Guid.NewGuid():N}"[..15];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes: dmesg afterwards may have lost its records to other writers
    private readonly List<RealAgentProcess> _agents = [];
    private readonly List<TargetNamespaceProcess> _targets = [];
    private readonly TestDirectory _directory = new();
    private FakeKubeApiServer _kube = null!;
    private ApiApplicationFactory _api = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _kube = await FakeKubeApiServer.StartAsync();
        var addresses = LoopbackAddresses.Allocate(2);
        var port = LoopbackAddresses.FreePortOnAll(addresses);
        var tokenFile = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        string[] trees = ["h100x8", "real-samples"];
        for (var i = 0; i < 2; i++)
        {
            var node = $"gpu-node-{i + 1:000}";
            var target = new TargetNamespaceProcess();
            _targets.Add(target);
            var state = Directory.CreateDirectory(_directory.Combine($"state-{i}")).FullName;
            _agents.Add(await RealAgentProcess.StartAsync(node, addresses[i], port, Path.Combine(AppContext.BaseDirectory, "TestData", "proc", trees[i]), target.Pid, state, tokenFile));
            _kube.Upsert(FakeKubeApiServer.Node(node));
            _kube.Upsert(FakeKubeApiServer.AgentPod($"gpu-fault-injector-kernel-{i:x5}", node, addresses[i].ToString()));
        }

        _api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:AgentGrpcPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Routing:Kubeconfig"] = _kube.WriteKubeconfig(_directory.Path),
        });
        _client = _api.CreateAuthenticatedClient();
        await Eventually.TrueAsync(async () => (await _client.GetAsync("/ready")).IsSuccessStatusCode, "the API's routing cache");
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        foreach (var target in _targets)
        {
            target.Dispose();
        }

        await _kube.DisposeAsync();
        _directory.Dispose();
        _kernelLog.Dispose();
    }

    public void Dispose()
    {
        _api?.Dispose();
        _directory.Dispose();
    }

    private async Task<HttpResponseMessage> InjectAsync(string path, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await _client.SendAsync(request);
    }

    [RootFact]
    public async Task Inject_RealAgent_WritesTheLineOnceIntoTheKernelLog_AndRetriesReplay()
    {
        var message = $"GPU has fallen off the bus. {_runId}";
        var body = new { node_name = "gpu-node-002", gpu_id = 0, message };

        var first = await InjectAsync("/api/v1/faults/gpu/inject/xid-79", body, "real-key-1");
        var retry = await InjectAsync("/api/v1/faults/gpu/inject/xid-79", body, "real-key-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var fault = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("gpu-node-002", fault.GetProperty("node_name").GetString());
        Assert.Equal("gpu-node-002/gpu0", fault.GetProperty("target").GetString());
        Assert.Equal("fault-api/alice", fault.GetProperty("caller").GetString());
        var record = fault.GetProperty("records")[0];
        Assert.True(record.GetProperty("sequence").GetUInt64() > 0);
        // gpu-node-002's simulated /proc has no driver version file: the newest form, and the answer says so.
        Assert.Contains($"): 79, {message}", fault.GetProperty("line").GetString(), StringComparison.Ordinal);
        Assert.Equal("default", fault.GetProperty("driver_version_source").GetString());
        Assert.Equal("r575", fault.GetProperty("line_form").GetString());
        Assert.Contains(fault.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("no driver version file", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var replay = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(fault.GetProperty("fault_id").GetString(), replay.GetProperty("fault_id").GetString());
        Assert.True(replay.GetProperty("replayed").GetBoolean());

        var lines = _kernelLog.SnapshotContaining(_runId);
        var line = Assert.Single(lines);
        Assert.Contains(fault.GetProperty("line").GetString()!, line, StringComparison.Ordinal);

        var listed = await _client.GetFromJsonAsync<JsonElement>("/api/v1/faults?node=gpu-node-002");
        Assert.Contains(listed.GetProperty("faults").EnumerateArray(), f => f.GetProperty("fault_id").GetString() == fault.GetProperty("fault_id").GetString());
        var other = await _client.GetFromJsonAsync<JsonElement>("/api/v1/faults?node=gpu-node-001");
        Assert.DoesNotContain(other.GetProperty("faults").EnumerateArray(), f => f.GetProperty("fault_id").GetString() == fault.GetProperty("fault_id").GetString());
        var cleared = await _client.PostAsync($"/api/v1/faults/{fault.GetProperty("fault_id").GetString()}/recover", null);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
    }

    [RootFact]
    public async Task DryRun_RealAgent_ReturnsTheLine_WritesNothing()
    {
        var response = await InjectAsync("/api/v1/faults/gpu/inject/xid-48", new { node_name = "gpu-node-001", gpu_id = 0, message = $"dry {_runId}", dry_run = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("dry_run", body.GetProperty("status").GetString());
        Assert.Contains(": 48, ", body.GetProperty("line").GetString(), StringComparison.Ordinal);
        Assert.Empty(_kernelLog.SnapshotContaining(_runId));
    }

    [RootTheory]
    [InlineData(5, null, "node", "r565", "pid='<unknown>', name=<unknown>, ")]
    [InlineData(6, "570.195.03", "request", "r570", "")]
    public async Task Inject_Xid79OnA535NodeOrAs570_KernelLogRecordsAsThatBranchPrintsThem(int gpu, string? driverVersion, string source, string form, string unknownProcess)
    {
        var response = await InjectAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001", gpu_id = gpu, driver_version = driverVersion });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fault = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(source, fault.GetProperty("driver_version_source").GetString());
        Assert.Equal(form, fault.GetProperty("line_form").GetString());
        var pci = fault.GetProperty("pci_bus_id").GetString()!; // dddd:bb:dd.f
        Assert.Equal($"NVRM: Xid (PCI:{pci[..^2]}): 79, {unknownProcess}GPU has fallen off the bus.", fault.GetProperty("line").GetString());
        // Read back from the real /dev/kmsg: the GPU's preamble (first Xid on it in this boot), the Xid, the driver's
        // follow-up; no nvidia-smi on this node, so both serial lines are left out and the notes say so.
        var records = fault.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(
            [$"NVRM: NVRM: GPU at PCI:{pci[..^2]}: ", $"NVRM: NVRM: Xid (PCI:{pci[..^2]}): 79, {unknownProcess}GPU has fallen off the bus.", $"NVRM: NVRM: GPU {pci}: GPU has fallen off the bus."],
            records.Select(r => r.GetProperty("text").GetString()!).Select((t, i) => i == 0 ? t[..t.IndexOf("GPU-", StringComparison.Ordinal)] : t));
        Assert.All(records, r => Assert.Equal(4, r.GetProperty("level").GetInt32()));
        Assert.All(records, r => Assert.True(r.GetProperty("sequence").GetUInt64() > 0));
        Assert.Contains(fault.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("serial", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task Errors_RealAgent_MapToProblems()
    {
        var badXid = await InjectAsync("/api/v1/faults/gpu/inject/xid-9999", new { node_name = "gpu-node-001" });
        var badGpu = await InjectAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001", gpu_id = 99 });

        Assert.Equal(HttpStatusCode.BadRequest, badXid.StatusCode);
        var problem = await badXid.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(), problem.ToString());
        _ = await ProblemResponse.ReadAsync(badGpu, HttpStatusCode.NotFound);
    }

    [RootFact]
    public async Task NodesAndCatalog_RealAgents_DescribeEachNodesOwnGpus()
    {
        var nodes = await _client.GetFromJsonAsync<JsonElement>("/api/v1/nodes");
        var byName = nodes.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("node_name").GetString()!, n => n.GetProperty("gpus").GetArrayLength());
        Assert.Equal(8, byName["gpu-node-001"]);
        Assert.Equal(3, byName["gpu-node-002"]); // real-samples: four procfs entries, three GPUs with a Device Minor the agent accepts
        var node001 = nodes.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("node_name").GetString() == "gpu-node-001");
        var node002 = nodes.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("node_name").GetString() == "gpu-node-002");
        Assert.Equal("535.161.08", node001.GetProperty("driver_version").GetString()); // h100x8's /proc/driver/nvidia/version
        Assert.Equal("r565", node001.GetProperty("line_form").GetString());
        Assert.Equal(JsonValueKind.Null, node002.GetProperty("driver_version").ValueKind); // real-samples has no version file
        Assert.Equal("r575", node002.GetProperty("line_form").GetString());

        var catalog = await _client.GetFromJsonAsync<JsonElement>("/api/v1/faults/gpu/xid-types");
        Assert.Contains(catalog.GetProperty("xids").EnumerateArray(), x => x.GetProperty("xid").GetInt32() == 79);
    }
}
