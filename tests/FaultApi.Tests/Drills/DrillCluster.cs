using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Routing;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Drills;

/// <summary>
/// For the drill tests: the fake Kubernetes API server, ONE real agent process (simulated 8×H100 /proc tree, its own
/// target mount namespace, writing the machine's real /dev/kmsg) and the real API. Each test adds its own GPU node
/// (Ready, with a bootID, workload pods in <c>training</c> and <c>default</c>, a DaemonSet pod, and an agent pod that
/// points at the one agent), so tests that cordon or drain a node do not meet each other.
/// </summary>
public sealed class DrillCluster : IAsyncLifetime, IDisposable, IRootFixture
{
    public const string Namespace = "fault-injection-system";
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private int _nodes;

    public FakeKubeApiServer Kube { get; private set; } = null!;

    public RealAgentProcess Agent { get; private set; } = null!;

    public IPAddress AgentAddress { get; private set; } = null!;

    public int AgentPort { get; private set; }

    public string Kubeconfig { get; private set; } = null!;

    public IKubernetes KubeClient { get; private set; } = null!;

    public ApiApplicationFactory Api { get; private set; } = null!;

    /// <summary>
    /// The node's stand-in dcgmi (samples/stand-in-tools/dcgmi, its GPUs read from the agent's /proc tree in PCI order):
    /// the agent's <c>Agent:Dcgm:DcgmiPath</c>, and what a stand-in DCGM-side monitor reads.
    /// </summary>
    public string DcgmiPath { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Kube = await FakeKubeApiServer.StartAsync();
        AgentAddress = LoopbackAddresses.Allocate(1)[0];
        AgentPort = LoopbackAddresses.FreePort(AgentAddress);
        var tokenFile = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        var state = Directory.CreateDirectory(_directory.Combine("agent-state")).FullName;
        var procTree = Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8");
        DcgmiPath = InstallStandInDcgmi(procTree);
        Agent = await RealAgentProcess.StartAsync("gpu-node-drills", AgentAddress, AgentPort, procTree, _target.Pid, state, tokenFile, new Dictionary<string, string> { ["Agent:Dcgm:DcgmiPath"] = DcgmiPath });
        Kubeconfig = Kube.WriteKubeconfig(_directory.Path);
        KubeClient = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
        Api = NewApi();
        Client = Api.CreateAuthenticatedClient();
        await Eventually.TrueAsync(async () => (await Client.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "the API's routing cache");
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        KubeClient?.Dispose();
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        if (Kube is not null)
        {
            await Kube.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _target.Dispose();
        _directory.Dispose();
    }

    private string InstallStandInDcgmi(string procTree)
    {
        var directory = Directory.CreateDirectory(_directory.Combine("dcgm")).FullName;
        var path = Path.Combine(directory, "dcgmi");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "StandInTools", "dcgmi"), path);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the stand-in dcgmi runs on Linux");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.CreateSymbolicLink(Path.Combine(directory, "proc"), procTree);
        return path;
    }

    /// <summary>Makes the node's stand-in hostengine answer every dcgmi run after <paramref name="seconds"/> (0: at once); its values stay.</summary>
    public void SetDcgmAnswerDelay(double seconds)
    {
        var path = Path.Combine(Path.GetDirectoryName(DcgmiPath)!, "dcgm-state.json");
        var state = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : [];
        if (state["hostengine"] is not JsonObject engine)
        {
            engine = [];
            state["hostengine"] = engine;
        }

        engine["answer_delay_seconds"] = seconds;
        var temporary = path + ".test-tmp";
        File.WriteAllText(temporary, state.ToJsonString());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// An API against this cluster, with <see cref="NewApi"/>'s settings, as its own process (the real FaultApi.dll):
    /// another replica or a restarted API, started from nothing but the cluster's state. Callers present
    /// <see cref="ApiApplicationFactory.AliceToken"/>.
    /// </summary>
    public async Task<FaultApiProcess> StartApiProcessAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var callerTokens = _directory.Combine($"api-{id}-caller-tokens");
        var agentToken = _directory.Combine($"api-{id}-agent-token");
        await File.WriteAllTextAsync(callerTokens, $"alice:{ApiApplicationFactory.AliceToken}\n");
        await File.WriteAllTextAsync(agentToken, $"{ApiApplicationFactory.AgentToken}\n");
        return await FaultApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Routing:Mode"] = "Kubernetes",
            ["Routing:Namespace"] = Namespace,
            ["Routing:AgentGrpcPort"] = AgentPort.ToString(CultureInfo.InvariantCulture),
            ["Routing:Kubeconfig"] = Kubeconfig,
            ["Drills:LeaseDuration"] = "00:00:03",
            ["Auth:TokenFile"] = callerTokens,
            ["Agents:TokenFile"] = agentToken,
            ["Stop:StateFile"] = _directory.Combine($"api-{id}-stop-state.json"),
        });
    }

    /// <summary>An API instance against this cluster (a replica, or the API after a restart).</summary>
    public ApiApplicationFactory NewApi(string ns = Namespace, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Kubernetes",
            ["Routing:Namespace"] = ns,
            ["Routing:AgentGrpcPort"] = AgentPort.ToString(CultureInfo.InvariantCulture),
            ["Routing:Kubeconfig"] = Kubeconfig,
            ["Drills:LeaseDuration"] = "00:00:03",
            ["Logging:LogLevel:FaultApi.Drills"] = Environment.GetEnvironmentVariable("DRILL_TEST_LOG") ?? "Warning",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new ApiApplicationFactory(all);
    }

    /// <summary>
    /// Adds a GPU node with its agent pod and workload pods; waits until <paramref name="api"/> routes to it. The agent
    /// pod's address is the one agent's, or <paramref name="agentAddress"/> (a relay in front of it at <see cref="AgentPort"/>).
    /// </summary>
    public async Task<string> AddNodeAsync(bool cordoned = false, string ns = Namespace, ApiApplicationFactory? api = null, IReadOnlyDictionary<string, string>? labels = null, IPAddress? agentAddress = null)
    {
        var name = $"drill-node-{Interlocked.Increment(ref _nodes):000}-{Guid.NewGuid().ToString("N")[..6]}";
        Kube.Upsert(new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { ["nvidia.com/gpu.present"] = "true" } },
            Spec = new V1NodeSpec { Unschedulable = cordoned ? true : null },
            Status = new V1NodeStatus
            {
                NodeInfo = new V1NodeSystemInfo { BootID = Guid.NewGuid().ToString(), MachineID = "m", SystemUUID = "s", KernelVersion = "6.1", OsImage = "Debian", ContainerRuntimeVersion = "containerd", KubeletVersion = "v1.31", KubeProxyVersion = "", OperatingSystem = "linux", Architecture = "amd64" },
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady" }],
            },
        });
        var agentPod = FakeKubeApiServer.AgentPod($"gpu-fault-injector-kernel-{name}", name, (agentAddress ?? AgentAddress).ToString(), ns: ns);
        agentPod.Metadata.OwnerReferences = [DaemonSetOwner("gpu-fault-injector-kernel")];
        Kube.Upsert(agentPod);
        Kube.Upsert(Pod("training", $"trainer-0-{name}", name));
        Kube.Upsert(Pod("training", $"trainer-1-{name}", name));
        Kube.Upsert(Pod("default", $"notebook-{name}", name));
        var exporter = Pod("gpu-operator", $"dcgm-exporter-{name}", name);
        exporter.Metadata.OwnerReferences = [DaemonSetOwner("dcgm-exporter")];
        Kube.Upsert(exporter);
        var directory = (api ?? Api).Services.GetRequiredService<IAgentDirectory>();
        await Eventually.TrueAsync(() => directory.TryGetAgent(name, out _), $"the API to route to {name}");
        return name;
    }

    public async Task<HttpResponseMessage> StartDrillAsync(object body, HttpClient? client = null, CancellationToken cancellationToken = default) =>
        await (client ?? Client).PostAsJsonAsync(new Uri("/api/v1/drills", UriKind.Relative), body, cancellationToken);

    public async Task<JsonElement> GetDrillAsync(string id, HttpClient? client = null)
    {
        using var response = await (client ?? Client).GetAsync(new Uri($"/api/v1/drills/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>True once drill <paramref name="id"/> has a record that says it was injected (<c>injected_at</c> set).</summary>
    public async Task<bool> InjectedAsync(string id, HttpClient? client = null)
    {
        using var response = await (client ?? Client).GetAsync(new Uri($"/api/v1/drills/{id}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK
            && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("injected_at").ValueKind == JsonValueKind.String;
    }

    /// <summary>Waits (generously) until the drill is no longer running and returns it.</summary>
    public async Task<JsonElement> WaitForVerdictAsync(string id, HttpClient? client = null)
    {
        JsonElement drill = default;
        await Eventually.TrueAsync(
            async () =>
            {
                drill = await GetDrillAsync(id, client);
                return drill.GetProperty("state").GetString() != "running";
            },
            $"drill {id}'s verdict",
            TimeSpan.FromSeconds(60));
        return drill;
    }

    public async Task<JsonElement> GetSuiteAsync(string id, HttpClient? client = null)
    {
        using var response = await (client ?? Client).GetAsync(new Uri($"/api/v1/suites/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Waits until the suite is no longer running (at most <paramref name="timeout"/>, naming the suite as last seen) and returns it.</summary>
    public async Task<JsonElement> WaitForSuiteVerdictAsync(string id, TimeSpan timeout, HttpClient? client = null)
    {
        JsonElement suite = default;
        await Eventually.TrueAsync(
            async () =>
            {
                suite = await GetSuiteAsync(id, client);
                return suite.GetProperty("state").GetString() != "running";
            },
            $"suite {id}'s verdict",
            () => suite.ToString(),
            timeout);
        return suite;
    }

    private static V1Pod Pod(string ns, string name, string node) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, CreationTimestamp = DateTime.UtcNow },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        Status = new V1PodStatus { Phase = "Running" },
    };

    private static V1OwnerReference DaemonSetOwner(string name) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Name = name,
        Uid = Guid.NewGuid().ToString(),
        Controller = true,
    };
}
