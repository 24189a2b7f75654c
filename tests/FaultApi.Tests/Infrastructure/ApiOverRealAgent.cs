using System.Globalization;
using System.Net;
using FaultAgent.Tests.Infrastructure;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// The real API (real Kestrel, static routing) in front of one real agent process for one simulated node (the H100
/// procfs tree), with its own state directory, agent token file and target mount namespace process. The API routes to
/// the agent directly, or through the <see cref="Relay"/> made for the agent's gRPC endpoint (disposed with the rest).
/// The agent can be stopped and started again on the same address and state directory.
/// </summary>
public sealed class ApiOverRealAgent : IAsyncDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly IPAddress _address = LoopbackAddresses.Allocate(1)[0];
    private readonly int _port;
    private readonly string _tokenFile;
    private RealAgentProcess? _agent;

    private ApiOverRealAgent(string nodeName)
    {
        NodeName = nodeName;
        _port = LoopbackAddresses.FreePort(_address);
        _tokenFile = _directory.Combine("agent-tokens");
        File.WriteAllText(_tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        StateDirectory = Directory.CreateDirectory(_directory.Combine("state")).FullName;
    }

    public string NodeName { get; }

    public string StateDirectory { get; }

    /// <summary>The agent's gRPC endpoint (the same across restarts).</summary>
    public IPEndPoint AgentEndpoint => new(_address, _port);

    public ApiApplicationFactory Api { get; private set; } = null!;

    /// <summary>The relay between the API and the agent, when one was asked for.</summary>
    public LoopbackTcpRelay? Relay { get; private set; }

    public static async Task<ApiOverRealAgent> StartAsync(string nodeName, Func<IPEndPoint, LoopbackTcpRelay>? relay = null)
    {
        var cluster = new ApiOverRealAgent(nodeName);
        await cluster.StartAgentAsync();
        cluster.Relay = relay?.Invoke(cluster.AgentEndpoint);
        cluster.Api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            [$"Routing:Static:Nodes:{nodeName}"] = (cluster.Relay?.Address ?? cluster._agent!.GrpcAddress).ToString(),
            ["Routing:AgentGrpcPort"] = cluster._port.ToString(CultureInfo.InvariantCulture),
        });
        cluster.Api.UseKestrel(0);
        cluster.Api.StartServer();
        return cluster;
    }

    public async Task StopAgentAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
            _agent = null;
        }
    }

    public async Task StartAgentAsync() =>
        _agent = await RealAgentProcess.StartAsync(NodeName, _address, _port, Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"), _target.Pid, StateDirectory, _tokenFile);

    public async ValueTask DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
            Api.Dispose();
        }

        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }

        await StopAgentAsync();
        _target.Dispose();
        _directory.Dispose();
    }
}
