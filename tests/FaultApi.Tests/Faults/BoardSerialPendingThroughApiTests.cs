using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Faults;

/// <summary>
/// A GPU's first Xid of the boot needs its board serial (the driver's preamble), which the agent asks the host's
/// nvidia-smi for; here nvidia-smi hangs. The agent waits for it at most <c>Agent:Telemetry:BoardLookupWait</c> (its
/// default, 3 s) and refuses UNAVAILABLE naming nvidia-smi; the API sends the injection again on UNAVAILABLE
/// (<c>Agents:MaxAttempts</c>, 3) within its call deadline (<c>Agents:CallTimeoutSeconds</c>, the product's 15 s here).
/// The REAL agent process (a stand-in nvidia-smi that records each run and hangs until the test releases it, run through
/// nsenter in a target namespace the test owns, the real /dev/kmsg), the API on static routing in front.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BoardSerialPendingThroughApiTests : IDisposable
{
    private const string NodeName = "gpu-node-001";
    private readonly string _runId = $"bs{Guid.NewGuid():N}"[..14];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes
    private readonly TestDirectory _directory = new();

    public void Dispose()
    {
        _directory.Dispose();
        _kernelLog.Dispose();
    }

    [RootFact]
    public async Task Inject_NvidiaSmiHangsOnAFreshGpu_Is503BoardSerialPendingWithRetryAfter_NothingWritten_NvidiaSmiRunOnce()
    {
        using var smi = await HangingNvidiaSmi.CreateAsync(_directory.Path);
        using var target = new TargetNamespaceProcess();
        var address = LoopbackAddresses.Allocate(1)[0];
        await using var agent = await RealAgentProcess.StartInAsync(_directory, NodeName, address, target.Pid, new Dictionary<string, string>
        {
            ["Agent:Tools:NvidiaSmiPath"] = smi.Path,
            ["Agent:Telemetry:CommandTimeout"] = "00:10:00", // the run outlasts every wait: only BoardLookupWait (default 3 s) ends one
        });
        await using var api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            [$"Routing:Static:Nodes:{NodeName}"] = agent.GrpcAddress.ToString(),
            ["Routing:AgentGrpcPort"] = agent.GrpcAddress.Port.ToString(CultureInfo.InvariantCulture),
            ["Agents:CallTimeoutSeconds"] = "15", // the product's default (the test factory's is 10 s)
        });
        using var client = api.CreateAuthenticatedClient();
        client.Timeout = TimeSpan.FromMinutes(2);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-13")
        {
            Content = JsonContent.Create(new { node_name = NodeName, gpu_id = 0, message = $"Graphics SM Warp Exception {_runId}" }),
        };
        request.Headers.Add("Idempotency-Key", _runId);
        using var response = await client.SendAsync(request);

        // Its own problem, not the generic "Agent unavailable": the agent's reason, and Retry-After from its RetryInfo (what
        // is left of the one nvidia-smi run's CommandTimeout, 10 min here, after the three attempts).
        var body = await BoardSerialPendingProblem.ReadAsync(response, "0000:18:00.0", minRetryAfterSeconds: 300, maxRetryAfterSeconds: 600);
        var detail = body.GetProperty("detail").GetString();
        Assert.Contains("nvidia-smi has not answered within 3 s", detail, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", detail, StringComparison.Ordinal);
        Assert.Equal(NodeName, body.GetProperty("node_name").GetString());
        Assert.Equal("Unavailable", body.GetProperty("grpc_status").GetString());
        Assert.Empty(_kernelLog.SnapshotContaining(_runId));
        // Every attempt waited for the one shared run: nvidia-smi was started once, not once per attempt.
        Assert.Single(await smi.CallsAsync(), l => l.Contains("serial", StringComparison.Ordinal));
        var listed = await client.GetFromJsonAsync<JsonElement>($"/api/v1/faults?node={NodeName}");
        Assert.DoesNotContain(_runId, listed.ToString(), StringComparison.Ordinal);
    }
}
