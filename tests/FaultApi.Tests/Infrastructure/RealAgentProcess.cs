using FaultAgent.Tests.Infrastructure;
using System.Net;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// The real FaultAgent (<c>dotnet src/FaultAgent/bin/&lt;configuration&gt;/net10.0/FaultAgent.dll</c>) as a child process:
/// gRPC (HTTP/2) at <c>address:grpcPort</c>, HTTP/1.1 health at <c>address:httpPort</c>, its own simulated /proc tree,
/// state directory, token file and target mount namespace process. Killed on dispose. Once healthy, its emergency-stop
/// state is confirmed as an API would (<see cref="AgentStopConfirmation"/>, with the first token of its token file), so
/// a test may call it directly or through a relay that hides its answers; <c>confirmStop: false</c> leaves it as a
/// just-started agent (refusing real injections until an API pushes to it), and an agent that reviews tokens with the
/// Kubernetes API (<c>Agent:AuthMode=TokenReview</c>) is left to the API.
/// </summary>
public sealed class RealAgentProcess : IAsyncDisposable
{
    private readonly ProductProcess _process;

    private RealAgentProcess(ProductProcess process, Uri grpc, Uri http)
    {
        _process = process;
        GrpcAddress = grpc;
        HttpAddress = http;
    }

    public Uri GrpcAddress { get; }

    public Uri HttpAddress { get; }

    public string Output => _process.Output;

    public int Pid => _process.Pid;

    public static string AgentAssembly
    {
        get
        {
            // tests/FaultApi.Tests/bin/<Configuration>/net10.0/ -> src/FaultAgent/bin/<Configuration>/net10.0/FaultAgent.dll
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = output.Name;
            var configuration = output.Parent!.Name;
            var root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "FaultAgent", "bin", configuration, framework, "FaultAgent.dll");
        }
    }

    /// <summary>The agent's settings for one simulated node (the same for a loopback agent and a namespaced one).</summary>
    public static Dictionary<string, string> Settings(string nodeName, string procTree, int targetPid, string stateDirectory, string tokenFile, Uri http, Uri grpc) => new()
    {
        ["Agent:NodeName"] = nodeName,
        ["Agent:ProcRoot"] = procTree,
        ["Agent:TargetPid"] = targetPid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Agent:StateDirectory"] = stateDirectory,
        ["Agent:TokenFile"] = tokenFile,
        ["Kestrel:Endpoints:Http:Url"] = http.ToString().TrimEnd('/'),
        ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
        ["Kestrel:Endpoints:Grpc:Url"] = grpc.ToString().TrimEnd('/'),
        ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
    };

    public static async Task<RealAgentProcess> StartAsync(string nodeName, IPAddress address, int grpcPort, string procTree, int targetPid, string stateDirectory, string tokenFile, IReadOnlyDictionary<string, string>? extraSettings = null, bool confirmStop = true)
    {
        var httpPort = LoopbackAddresses.FreePort(address);
        var grpc = new Uri($"http://{address}:{grpcPort}");
        var http = new Uri($"http://{address}:{httpPort}");
        var settings = Settings(nodeName, procTree, targetPid, stateDirectory, tokenFile, http, grpc);
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var (program, arguments, workingDirectory) = AgentCommand.For(AgentAssembly);
        var process = await ProductProcess.StartAsync(
            program, arguments, settings, workingDirectory, new Uri(http, "/health"), $"the agent of {nodeName}");
        var agent = new RealAgentProcess(process, grpc, http);
        if (confirmStop && settings.GetValueOrDefault("Agent:AuthMode") != "TokenReview")
        {
            try
            {
                await AgentStopConfirmation.ConfirmAsync(grpc, new Grpc.Core.Metadata { { "authorization", "Bearer " + FirstToken(tokenFile) } });
            }
            catch
            {
                await agent.DisposeAsync();
                throw;
            }
        }

        return agent;
    }

    /// <summary>
    /// An agent for <paramref name="nodeName"/> (the h100x8 /proc tree) on <paramref name="address"/> (its gRPC port a free
    /// one), with its state directory and token file (accepting the API's agent token) in <paramref name="directory"/>.
    /// </summary>
    public static async Task<RealAgentProcess> StartInAsync(TestDirectory directory, string nodeName, IPAddress address, int targetPid, IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var tokenFile = directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        var state = Directory.CreateDirectory(directory.Combine("state")).FullName;
        return await StartAsync(nodeName, address, LoopbackAddresses.FreePort(address), Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"), targetPid, state, tokenFile, extraSettings);
    }

    /// <summary>The first token of an agent token file (<c>name:token</c> or a bare token per line; blank lines and <c>#</c> comments skipped).</summary>
    private static string FirstToken(string tokenFile)
    {
        var line = File.ReadLines(tokenFile).Select(l => l.Trim()).First(l => l.Length > 0 && !l.StartsWith('#'));
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && line[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') ? line[(colon + 1)..] : line;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
