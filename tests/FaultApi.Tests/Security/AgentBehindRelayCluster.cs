using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Security;

/// <summary>
/// The product as real processes, shared by a test class: one REAL agent (<see cref="NodeName"/>, the h100x8 /proc tree,
/// a target mount namespace of our own, the machine's /dev/kmsg) and the REAL API process in static routing, whose agent
/// address is a <see cref="HoldingTcpRelay"/> in front of the agent's gRPC port (a slow network on demand).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
public sealed class AgentBehindRelayCluster : IAsyncLifetime, IRootFixture
{
    public const string NodeName = "gpu-node-sec";
    public const string CallerToken = "security-caller-0123456789abcdef";
    private const string AgentToken = "security-agent-0123456789abcdef";

    private readonly TestDirectory _directory = new();
    private TargetNamespaceProcess? _target;

    public RealAgentProcess Agent { get; private set; } = null!;

    public FaultApiProcess Api { get; private set; } = null!;

    public HoldingTcpRelay Relay { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        var address = LoopbackAddresses.Allocate(1)[0];
        var port = LoopbackAddresses.FreePort(address);
        var agentTokens = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(agentTokens, $"fault-api:{AgentToken}\n");
        var state = Directory.CreateDirectory(_directory.Combine("state")).FullName;
        Agent = await RealAgentProcess.StartAsync(NodeName, address, port, Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"), _target.Pid, state, agentTokens);
        Relay = new HoldingTcpRelay(new IPEndPoint(address, port));

        var callerTokens = _directory.Combine("caller-tokens");
        var apiAgentToken = _directory.Combine("api-agent-token");
        await File.WriteAllTextAsync(callerTokens, $"sec:{CallerToken}\n");
        await File.WriteAllTextAsync(apiAgentToken, $"{AgentToken}\n");
        Api = await FaultApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Routing:Mode"] = "Static",
            [$"Routing:Static:Nodes:{NodeName}"] = Relay.Address.ToString(),
            ["Auth:TokenFile"] = callerTokens,
            ["Agents:TokenFile"] = apiAgentToken,
            ["Agents:CallTimeoutSeconds"] = "30",
            ["Stop:StateFile"] = _directory.Combine("stop.json"),
            ["Stop:ReconcileIntervalSeconds"] = "3600",
        });
    }

    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }

        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        _target?.Dispose();
        _directory.Dispose();
    }

    /// <summary>A client of the API with the caller token.</summary>
    public HttpClient ApiClient() => Api.CreateClient(CallerToken);

    /// <summary>A client of the agent's HTTP endpoint with the agent token.</summary>
    public HttpClient AgentClient()
    {
        var client = new HttpClient { BaseAddress = Agent.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgentToken);
        return client;
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
