using System.Net.Http.Headers;
using FaultAgent.Tests.BugReports;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Telemetry;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A test class's cluster: the API (real Kestrel on loopback) routing through the fake Kubernetes API to two REAL agent
/// processes whose host tools are stand-in nvidia-smi / nvidia-bug-report.sh scripts that exist only in a stand-in host's
/// mount namespace (<see cref="HostNamespaceFixture"/>, the agents' Agent:TargetPid), plus <see cref="DownNode"/> (agent pod
/// listed, nothing listening) and <see cref="NodeWithoutAgent"/> (a node with no agent pod).
/// <see cref="H200Node"/>: eight H200s (the real capture), a bug-report tool writing a multi-MiB archive.
/// <see cref="A100Node"/>: two A100s, the second reporting [N/A] for most metrics; a bug-report tool that waits for
/// <see cref="GatedBugReportTool"/>.Release().
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
public sealed class RealGpuCluster : IAsyncLifetime, IRootFixture
{
    public const string H200Node = "gpu-node-001";
    public const string A100Node = "gpu-node-002";
    public const string DownNode = "gpu-node-003";
    public const string NodeWithoutAgent = "gpu-node-004";
    public const long ArchiveRandomBytes = 6 * 1024 * 1024;
    private const string H200Sample = "nvidia-smi_query-gpu_compute-apps_pmon_h200x8_real.txt";

    private readonly List<RealAgentProcess> _agents = [];
    private readonly TestDirectory _directory = new();
    private FakeKubeApiServer _kube = null!;

    public HostNamespaceFixture Host { get; } = new();

    public ApiApplicationFactory Api { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public Dictionary<string, string[]> H200Table { get; } = StandInNvidiaSmi.H200Table();

    public Dictionary<string, string[]> A100Table { get; } = CreateA100Table();

    internal StandInBugReportTool WritingBugReportTool { get; private set; } = null!;

    internal StandInBugReportTool GatedBugReportTool { get; private set; } = null!;

    /// <summary>The agent state directories by node (bug-report archives under <c>bug-reports/&lt;id&gt;/</c>).</summary>
    public Dictionary<string, string> StateDirectories { get; } = new(StringComparer.Ordinal);

    public string ProcessesSample { get; } = NvidiaSmiSamples.WithoutHeaderAndUnits(NvidiaSmiSamples.Block(H200Sample, "gpu_uuid, pid", after: "## After"));

    public string PmonSample { get; } = NvidiaSmiSamples.Block(H200Sample, "# gpu");

    public async Task InitializeAsync()
    {
        _kube = await FakeKubeApiServer.StartAsync();
        var addresses = LoopbackAddresses.Allocate(3);
        var port = LoopbackAddresses.FreePortOnAll(addresses);
        var tokenFile = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");

        var h200Smi = new StandInNvidiaSmi(Host, H200Table, ProcessesSample, PmonSample);
        var a100Smi = new StandInNvidiaSmi(Host, A100Table, "", "");
        WritingBugReportTool = StandInBugReportTool.Writing(Host, ArchiveRandomBytes);
        GatedBugReportTool = StandInBugReportTool.Gated(Host);
        (string Node, string Proc, string Smi, string BugReport)[] nodes =
        [
            (H200Node, "h100x8", h200Smi.Path, WritingBugReportTool.Path),
            (A100Node, "real-samples", a100Smi.Path, GatedBugReportTool.Path),
        ];
        for (var i = 0; i < nodes.Length; i++)
        {
            var (node, proc, smi, bugReport) = nodes[i];
            var state = Directory.CreateDirectory(_directory.Combine($"state-{i}")).FullName;
            StateDirectories[node] = state;
            _agents.Add(await RealAgentProcess.StartAsync(
                node,
                addresses[i],
                port,
                Path.Combine(AppContext.BaseDirectory, "TestData", "proc", proc),
                Host.TargetPid,
                state,
                tokenFile,
                new Dictionary<string, string>
                {
                    ["Agent:Tools:NvidiaSmiPath"] = smi,
                    ["Agent:Tools:NvidiaBugReportPath"] = bugReport,
                    ["Logging:LogLevel:Default"] = "Warning",
                }));
            _kube.Upsert(FakeKubeApiServer.Node(node));
            _kube.Upsert(FakeKubeApiServer.AgentPod($"gpu-fault-injector-kernel-{i:x5}", node, addresses[i].ToString()));
        }

        _kube.Upsert(FakeKubeApiServer.Node(DownNode));
        _kube.Upsert(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-down0", DownNode, addresses[2].ToString()));
        _kube.Upsert(FakeKubeApiServer.Node(NodeWithoutAgent));

        Api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:AgentGrpcPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Routing:Kubeconfig"] = _kube.WriteKubeconfig(_directory.Path),
            ["Agents:MaxAttempts"] = "2",
        });
        Api.UseKestrel(0);
        Api.StartServer();
        Client = Api.CreateAuthenticatedClient();
        await Eventually.TrueAsync(async () => (await Client.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "the API's routing cache");
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await Client.GetAsync(new Uri("/api/v1/nodes", UriKind.Relative));
                var text = await response.Content.ReadAsStringAsync();
                return text.Contains(H200Node, StringComparison.Ordinal) && text.Contains(A100Node, StringComparison.Ordinal) && text.Contains(DownNode, StringComparison.Ordinal);
            },
            "every agent pod in the routing cache");
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await _kube.DisposeAsync();
        Host.Dispose();
        _directory.Dispose();
    }

    /// <summary>An HTTP client without credentials.</summary>
    public HttpClient AnonymousClient()
    {
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    /// <summary>Two A100s: GPU 0 fully reported; GPU 1 prints [N/A] for temperature, utilisation, used memory and power.</summary>
    private static Dictionary<string, string[]> CreateA100Table()
    {
        var table = StandInNvidiaSmi.H200Table().ToDictionary(e => e.Key, e => e.Value[..2], StringComparer.Ordinal);
        table["index"] = ["0", "1"];
        table["uuid"] = ["GPU-a100a100-0000-0000-0000-000000000000", "GPU-a100a100-0000-0000-0000-000000000001"];
        table["name"] = ["NVIDIA A100-SXM4-80GB", "NVIDIA A100-SXM4-80GB"];
        table["pci.bus_id"] = ["00000000:07:00.0", "00000000:0F:00.0"];
        table["temperature.gpu"] = ["50", "[N/A]"];
        table["utilization.gpu"] = ["20", "[N/A]"];
        table["utilization.memory"] = ["5", "[N/A]"];
        table["memory.total"] = ["81920", "81920"];
        table["memory.used"] = ["1000", "[N/A]"];
        table["memory.free"] = ["80920", "[N/A]"];
        table["power.draw"] = ["100.5", "[N/A]"];
        table["power.limit"] = ["400.00", "400.00"];
        table["ecc.errors.uncorrected.volatile.total"] = ["0", "[N/A]"];
        table["ecc.errors.uncorrected.aggregate.total"] = ["0", "[N/A]"];
        table["remapped_rows.pending"] = ["No", "[N/A]"];
        table["remapped_rows.uncorrectable"] = ["0", "[N/A]"];
        return table;
    }
}
