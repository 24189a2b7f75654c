using System.Globalization;
using FaultAgent.Tests.Infrastructure;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// The product as it runs locally (<c>scripts/run-local.sh</c>): one REAL agent process for gpu-node-001 (the h100x8 /proc
/// tree, a target mount namespace of our own, the machine's real /dev/kmsg) and the real API on real Kestrel (loopback)
/// routing to it statically. Shared by a test class; each test uses its own fault ids and messages.
/// </summary>
public class RealProductFixture : IAsyncLifetime, IDisposable, IRootFixture
{
    public const string NodeName = "gpu-node-001";

    private readonly TestDirectory _directory = new();
    private TargetNamespaceProcess? _target;
    private ApiApplicationFactory? _api;

    public RealAgentProcess Agent { get; private set; } = null!;

    /// <summary>The agent's Control endpoint (the probes' gRPC health service and the emergency stop's RPCs).</summary>
    public Uri AgentControlAddress { get; private set; } = null!;

    /// <summary>The API's real address (http://127.0.0.1:port).</summary>
    public Uri ApiAddress { get; private set; } = null!;

    /// <summary>A caller token the API accepts (caller name <c>alice</c>).</summary>
    public static string Token => ApiApplicationFactory.AliceToken;

    /// <summary>Settings given to the agent on top of the defaults (a derived fixture's own).</summary>
    protected virtual IReadOnlyDictionary<string, string>? AgentSettings => null;

    public async Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        var address = LoopbackAddresses.Allocate(1)[0];
        var port = LoopbackAddresses.FreePort(address);
        var tokenFile = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        var state = Directory.CreateDirectory(_directory.Combine("state")).FullName;
        // As the DaemonSet runs it: the probes and the emergency stop on a Control endpoint of their own, where the API sends the stop.
        var controlPort = LoopbackAddresses.FreePort(address);
        AgentControlAddress = new Uri($"http://{address}:{controlPort}");
        var agentSettings = new Dictionary<string, string>(AgentSettings ?? new Dictionary<string, string>())
        {
            ["Kestrel:Endpoints:Control:Url"] = AgentControlAddress.ToString().TrimEnd('/'),
        };
        Agent = await RealAgentProcess.StartAsync(NodeName, address, port, Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"), _target.Pid, state, tokenFile, agentSettings);
        _api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            [$"Routing:Static:Nodes:{NodeName}"] = Agent.GrpcAddress.ToString(),
            [$"Routing:Static:Labels:{NodeName}:pool"] = "client-tests",
            ["Routing:AgentGrpcPort"] = port.ToString(CultureInfo.InvariantCulture),
            ["Routing:AgentControlPort"] = controlPort.ToString(CultureInfo.InvariantCulture),
        });
        _api.UseKestrel(0);
        _api.StartServer();
        using var probe = _api.CreateClient();
        ApiAddress = probe.BaseAddress!;
        await Eventually.TrueAsync(async () => (await probe.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "the API to be ready");
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        Dispose();
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _api?.Dispose();
            _target?.Dispose();
            _directory.Dispose();
        }
    }
}
