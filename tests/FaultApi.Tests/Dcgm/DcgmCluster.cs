using System.Globalization;
using System.Text.Json.Nodes;
using FaultAgent.Tests.Dcgm;
using FaultAgent.Tests.HostProcesses;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Dcgm;

/// <summary>
/// For the DCGM route tests: the API (real Kestrel on loopback) routing through the fake Kubernetes API to two REAL agent
/// processes (8×H100 /proc trees) that run the stand-in dcgmi in a stand-in host's mount namespace.
/// <see cref="DcgmNode"/>'s hostengine numbers its GPUs the other way round from the driver (Device Minor 0 is DCGM GPU 7);
/// <see cref="UnreachableNode"/>'s agent is told a hostengine address nobody answers on.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
public sealed class DcgmCluster : IAsyncLifetime, IRootFixture
{
    public const string DcgmNode = "gpu-node-001";
    public const string UnreachableNode = "gpu-node-002";
    public const string UnreachableAddress = "10.255.255.1:5555";

    private readonly List<RealAgentProcess> _agents = [];
    private readonly TestDirectory _directory = new();
    private FakeKubeApiServer _kube = null!;

    public HostNamespaceFixture Host { get; } = new();

    internal StandInDcgmi Dcgmi { get; private set; } = null!;

    internal StandInDcgmi UnreachableDcgmi { get; private set; } = null!;

    public ApiApplicationFactory Api { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>DCGM's GPU id of a Device Minor on <see cref="DcgmNode"/>.</summary>
    public static int DcgmGpuIdOf(int minor) => 7 - minor;

    public async Task InitializeAsync()
    {
        _kube = await FakeKubeApiServer.StartAsync();
        var addresses = LoopbackAddresses.Allocate(2);
        var port = LoopbackAddresses.FreePortOnAll(addresses);
        var tokenFile = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        var procTree = Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8");
        Dcgmi = new StandInDcgmi(Host, ReversedState(procTree));
        UnreachableDcgmi = new StandInDcgmi(Host, ReversedState(procTree));
        (string Node, StandInDcgmi Dcgmi, string HostEngine)[] nodes = [(DcgmNode, Dcgmi, ""), (UnreachableNode, UnreachableDcgmi, UnreachableAddress)];
        for (var i = 0; i < nodes.Length; i++)
        {
            var (node, dcgmi, hostEngine) = nodes[i];
            var state = Directory.CreateDirectory(_directory.Combine($"state-{i}")).FullName;
            _agents.Add(await RealAgentProcess.StartAsync(node, addresses[i], port, procTree, Host.TargetPid, state, tokenFile, new Dictionary<string, string>
            {
                ["Agent:Dcgm:DcgmiPath"] = dcgmi.Path,
                ["Agent:Dcgm:HostEngineAddress"] = hostEngine,
                ["Logging:LogLevel:Default"] = "Warning",
            }));
            _kube.Upsert(FakeKubeApiServer.Node(node));
            _kube.Upsert(FakeKubeApiServer.AgentPod($"gpu-fault-injector-kernel-{i:x5}", node, addresses[i].ToString()));
        }

        Api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:AgentGrpcPort"] = port.ToString(CultureInfo.InvariantCulture),
            ["Routing:Kubeconfig"] = _kube.WriteKubeconfig(_directory.Path),
        });
        Client = Api.CreateAuthenticatedClient();
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await Client.GetAsync(new Uri("/api/v1/nodes", UriKind.Relative));
                var text = await response.Content.ReadAsStringAsync();
                return text.Contains(DcgmNode, StringComparison.Ordinal) && text.Contains(UnreachableNode, StringComparison.Ordinal);
            },
            "both agent pods in the routing cache");
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

    /// <summary>A hostengine holding the tree's GPUs, numbered from the highest bus id down.</summary>
    internal static JsonObject ReversedState(string procTree)
    {
        var gpus = new JsonArray();
        var directories = Directory.GetDirectories(Path.Combine(procTree, "driver", "nvidia", "gpus")).Order(StringComparer.Ordinal).Reverse().ToList();
        for (var i = 0; i < directories.Count; i++)
        {
            var bus = Path.GetFileName(directories[i]);
            var uuid = File.ReadAllLines(Path.Combine(directories[i], "information")).First(l => l.StartsWith("GPU UUID:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
            gpus.Add(new JsonObject { ["id"] = i, ["name"] = "NVIDIA H100 80GB HBM3", ["pci_bus_id"] = ("0000" + bus).ToUpperInvariant(), ["uuid"] = uuid });
        }

        return new JsonObject { ["dcgm_version"] = "4.5.2", ["gpus"] = gpus };
    }
}
