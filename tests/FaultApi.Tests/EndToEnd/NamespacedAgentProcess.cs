using FaultAgent.Tests.Infrastructure;
using System.Globalization;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// The real FaultAgent run inside a node's network namespace (<c>ip netns exec &lt;ns&gt; FaultAgent ...</c> or <c>... dotnet FaultAgent.dll ...</c>, see <see cref="AgentCommand"/>;
/// <c>ip</c> execs the agent, so the process id is the agent's): gRPC on <c>&lt;node address&gt;:8084</c>, HTTP/1.1 on
/// <c>:8083</c>. Ready once its <c>/health</c> answers from the root namespace.
/// </summary>
public sealed class NamespacedAgentProcess : IAsyncDisposable
{
    public const int GrpcPort = 8084;
    public const int HttpPort = 8083;

    private readonly ProductProcess _process;

    private NamespacedAgentProcess(ProductProcess process) => _process = process;

    public int Pid => _process.Pid;

    public bool HasExited => _process.HasExited;

    public string Output => _process.Output;

    public static async Task<NamespacedAgentProcess> StartAsync(NodeNetworkNamespace network, string nodeName, string procRoot, int targetPid, string stateDirectory, string tokenFile)
    {
        ArgumentNullException.ThrowIfNull(network);
        var http = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{network.NodeAddress}:{HttpPort}"));
        var grpc = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{network.NodeAddress}:{GrpcPort}"));
        var (program, arguments, workingDirectory) = AgentCommand.For(RealAgentProcess.AgentAssembly);
        var process = await ProductProcess.StartAsync(
            "ip",
            ["netns", "exec", network.Name, program, .. arguments],
            RealAgentProcess.Settings(nodeName, procRoot, targetPid, stateDirectory, tokenFile, http, grpc),
            workingDirectory,
            new Uri(http, "/health"),
            $"the agent of {nodeName}");
        return new NamespacedAgentProcess(process);
    }

    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
