using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.EmergencyStop;
using FaultApi.Tests.EmergencyStop;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;
using k8s.Models;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A cluster of REAL agent processes writing the machine's /dev/kmsg (gpu-node-001, gpu-node-002, ..., each with its own
/// state directory and target mount namespace, all on one agent gRPC port as a DaemonSet's pods are), the fake Kubernetes
/// API server (nodes, agent pods, the ConfigMaps of the stop and the blast-radius ledger with compare-and-swap on
/// resourceVersion) and API replicas — the real app in memory, Kubernetes routing through the fake server. Replica 0
/// (<see cref="App"/>, <see cref="Client"/>) records its log events and tells <see cref="Listener"/> of every stop; more
/// replicas come from <see cref="AddReplicaClient"/>. With <c>relay</c>, an agent may stand behind a relay (the network
/// between the API and it): its pod's address is the relay's, on another loopback address at the agents' port. With
/// <c>agentSettings</c>, an agent may get settings of its own (a stand-in nvidia-smi), at every start. With
/// <c>prepareTarget</c>, an agent's target mount namespace may be changed before the agent first starts (a file bound
/// over its /dev/kmsg).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
public sealed class RealAgentCluster(
    IReadOnlyDictionary<string, string?>? settings = null,
    int agents = 2,
    Func<int, IPEndPoint, IPEndPoint, LoopbackTcpRelay?>? relay = null,
    Func<int, IReadOnlyDictionary<string, string>?>? agentSettings = null,
    Action<int, TargetNamespaceProcess>? prepareTarget = null) : IAsyncLifetime, IAsyncDisposable
{
    public const string Namespace = "fault-injection-system";
    public const string ConfigMapName = "fault-injection-stop";

    private readonly RealAgentProcess?[] _agents = new RealAgentProcess?[agents];
    private readonly LoopbackTcpRelay?[] _relays = new LoopbackTcpRelay?[agents];
    private readonly List<TargetNamespaceProcess> _targets = [];
    private readonly List<ApiApplicationFactory> _factories = [];
    private readonly List<WebApplicationFactory<Program>> _apps = [];
    private readonly List<HttpClient> _clients = [];
    private readonly TestDirectory _directory = new();
    private readonly string[] _trees = ["h100x8", "real-samples"];
    private IPAddress[] _addresses = [];
    private int _port;
    private int _disposed;
    private string _tokenFile = "";

    public FakeKubeApiServer Kube { get; private set; } = null!;

    public RecordingStopListener Listener { get; } = new();

    public RecordingLoggerProvider Logs { get; } = new();

    public WebApplicationFactory<Program> App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public static string NodeName(int i) => $"gpu-node-{i + 1:000}";

    public async Task InitializeAsync()
    {
        Kube = await FakeKubeApiServer.StartAsync();
        _addresses = LoopbackAddresses.Allocate(agents);
        _port = LoopbackAddresses.FreePortOnAll(_addresses);
        _tokenFile = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(_tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        try
        {
            for (var i = 0; i < agents; i++)
            {
                _targets.Add(new TargetNamespaceProcess());
                prepareTarget?.Invoke(i, _targets[i]);
                Directory.CreateDirectory(StateDirectory(i));
                await StartAgentAsync(i, confirmStop: true);
                _relays[i] = relay?.Invoke(i, new IPEndPoint(_addresses[i], _port), new IPEndPoint(LoopbackAddresses.Allocate(1)[0], _port));
                Kube.Upsert(FakeKubeApiServer.Node(NodeName(i)));
                Kube.Upsert(AgentPod(i, ready: true));
            }
        }
        catch
        {
            // An agent that cannot start fails the class; the agents and target processes already started must not
            // outlive it (CI on c93e05d found gpu-node-001's agent and both targets left running, holding the run's lock).
            await DisposeAsync();
            throw;
        }

        (App, Client) = await StartReplicaAsync(services =>
        {
            services.AddSingleton<IEmergencyStopListener>(Listener);
            services.AddLogging(l => l.AddProvider(Logs));
        });
    }

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
            factory.Dispose();
        }

        foreach (var relayed in _relays)
        {
            if (relayed is not null)
            {
                await relayed.DisposeAsync();
            }
        }

        foreach (var agent in _agents)
        {
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }
        }

        foreach (var target in _targets)
        {
            target.Dispose();
        }

        await Kube.DisposeAsync();
        Logs.Dispose();
        _directory.Dispose();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    /// <summary>Another API replica on the same cluster (its own process state, the same ConfigMap and agents), as alice.</summary>
    public async Task<HttpClient> AddReplicaClient() => (await StartReplicaAsync(_ => { })).Client;

    public string StateDirectory(int i) => _directory.Combine($"state-{i}");

    /// <summary>
    /// Starts (or restarts) agent <paramref name="i"/> on its state directory. A restart is left unconfirmed, as an agent
    /// that comes back in a cluster is until an API pushes to it; the cluster's first start confirms each agent.
    /// </summary>
    public async Task StartAgentAsync(int i, bool confirmStop = false) =>
        _agents[i] = await RealAgentProcess.StartAsync(NodeName(i), _addresses[i], _port, Path.Combine(AppContext.BaseDirectory, "TestData", "proc", _trees[i % _trees.Length]), _targets[i].Pid, StateDirectory(i), _tokenFile, agentSettings?.Invoke(i), confirmStop);

    /// <summary>Marks agent <paramref name="i"/>'s pod Ready or not (as the kubelet does when its node reboots), through the fake API server's watch.</summary>
    public void SetAgentPodReady(int i, bool ready) => Kube.Upsert(AgentPod(i, ready));

    public async Task StopAgentAsync(int i)
    {
        await _agents[i]!.DisposeAsync();
        _agents[i] = null;
    }

    public RealAgentProcess Agent(int i) => _agents[i]!;

    /// <summary>The relay in front of agent <paramref name="i"/> (its pod's address), when the cluster was given one for it.</summary>
    public T Relay<T>(int i)
        where T : LoopbackTcpRelay => (T)(_relays[i] ?? throw new InvalidOperationException($"agent {i} has no relay"));

    /// <summary>Freezes agent <paramref name="i"/> (SIGSTOP): its sockets still accept, nothing answers — a hung agent.</summary>
    public void PauseAgent(int i) => Signal(i, "-STOP");

    /// <summary>Lets a frozen agent run again (SIGCONT).</summary>
    public void ResumeAgent(int i) => Signal(i, "-CONT");

    /// <summary>Bytes received by agent <paramref name="i"/>'s gRPC sockets that it has not read (ss: the Recv-Q): a frozen agent's calls show here.</summary>
    public async Task<long> UnreadBytesAtAgentAsync(int i)
    {
        var address = _agents[i]!.GrpcAddress;
        var start = new ProcessStartInfo("ss") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-tnH", "state", "established", "src", $"{address.Host}:{address.Port}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length >= 4)
            .Sum(columns => long.Parse(columns[0], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Waits until replica 0 reaches the agents of <paramref name="nodes"/> (its channel to a restarted or cut-off agent
    /// reconnects within the gRPC backoff, at most ~2 s): GET /api/v1/stop asks each for its copy (a read: it confirms
    /// nothing) and names no error.
    /// </summary>
    public async Task WaitUntilTheApiReachesAsync(params string[] nodes)
    {
        var seen = "nothing yet";
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await Client.GetAsync(new Uri("/api/v1/stop", UriKind.Relative));
                seen = await response.Content.ReadAsStringAsync();
                return response.IsSuccessStatusCode && System.Text.Json.JsonDocument.Parse(seen).RootElement.GetProperty("agents").EnumerateArray()
                    .Count(a => nodes.Contains(a.GetProperty("node_name").GetString()) && (!a.TryGetProperty("error", out var error) || error.ValueKind == System.Text.Json.JsonValueKind.Null)) == nodes.Length;
            },
            $"the API to reach the agents of {string.Join(", ", nodes)}",
            () => seen,
            TimeSpan.FromSeconds(60));
    }

    /// <summary>The nodes the blast-radius ledger holds reservations for (its ConfigMap in the fake API server).</summary>
    public List<string> LedgerNodes()
    {
        var data = Kube.GetConfigMap(Namespace, "fault-injection-blast-radius")?.Data;
        return data is not null && data.TryGetValue("ledger.json", out var json) && JsonDocument.Parse(json).RootElement.TryGetProperty("nodes", out var nodes)
            ? [.. nodes.EnumerateObject().Select(n => n.Name)]
            : [];
    }

    /// <summary>The stop's ConfigMap data (null when there is none).</summary>
    public IDictionary<string, string>? StoredStop => Kube.GetConfigMap(Namespace, ConfigMapName)?.Data;

    public static Task<HttpResponseMessage> InjectAsync(HttpClient client, string node, string message) =>
        client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = node, gpu_id = 0, message });

    /// <summary>Calls agent <paramref name="i"/> directly over gRPC with the agent token (what anyone holding it can do).</summary>
    public async Task<TResponse> CallAgentAsync<TResponse>(int i, Func<AgentClient, Metadata, AsyncUnaryCall<TResponse>> call)
    {
        using var channel = GrpcChannel.ForAddress(_agents[i]!.GrpcAddress);
        return await call(new AgentClient(channel), new Metadata { { "authorization", "Bearer " + ApiApplicationFactory.AgentToken } });
    }

    public Task<InjectResponse> InjectDirectAsync(int i, string message) =>
        CallAgentAsync(i, (c, m) => c.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = message }, m));

    public Task<FaultInjection.Agent.V1.EmergencyStopState> AgentStopAsync(int i) =>
        CallAgentAsync(i, (c, m) => c.GetEmergencyStopAsync(new GetEmergencyStopRequest(), m));

    public async Task<HttpResponseMessage> InjectDirectHttpAsync(int i, string message)
    {
        using var http = new HttpClient { BaseAddress = _agents[i]!.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AgentToken);
        return await http.PostAsJsonAsync("/inject-xid", new { xid_type = 79, gpu_id = 0, message });
    }

    private void Signal(int i, string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add(signal);
        start.ArgumentList.Add(_agents[i]!.Pid.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private V1Pod AgentPod(int i, bool ready) => FakeKubeApiServer.AgentPod($"gpu-fault-injector-kernel-{i:x5}", NodeName(i), (_relays[i]?.ListenEndpoint.Address ?? _addresses[i]).ToString(), ready);

    private async Task<(WebApplicationFactory<Program> App, HttpClient Client)> StartReplicaAsync(Action<IServiceCollection> configure)
    {
        var values = new Dictionary<string, string?>
        {
            ["Routing:AgentGrpcPort"] = _port.ToString(CultureInfo.InvariantCulture),
            ["Routing:Kubeconfig"] = Kube.WriteKubeconfig(_directory.Path),
            ["Stop:ReconcileIntervalSeconds"] = "1",
            ["Agents:CallTimeoutSeconds"] = "15",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var factory = new ApiApplicationFactory(values);
        _factories.Add(factory);
        var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(configure));
        _apps.Add(app);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);
        _clients.Add(client);
        await Eventually.TrueAsync(async () => (await client.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "the API replica's routing cache");
        return (app, client);
    }
}
