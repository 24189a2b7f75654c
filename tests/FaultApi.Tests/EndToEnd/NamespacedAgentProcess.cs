using System.Diagnostics;
using System.Globalization;
using System.Text;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// The real FaultAgent run inside a node's network namespace (<c>ip netns exec &lt;ns&gt; dotnet FaultAgent.dll ...</c>;
/// <c>ip</c> execs dotnet, so the process id is the agent's): gRPC on <c>&lt;node address&gt;:8084</c>, HTTP/1.1 on
/// <c>:8083</c>. Ready once its <c>/health</c> answers from the root namespace.
/// </summary>
public sealed class NamespacedAgentProcess : IAsyncDisposable
{
    public const int GrpcPort = 8084;
    public const int HttpPort = 8083;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NamespacedAgentProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<NamespacedAgentProcess> StartAsync(NodeNetworkNamespace network, string nodeName, string procRoot, int targetPid, string stateDirectory, string tokenFile)
    {
        ArgumentNullException.ThrowIfNull(network);
        var start = new ProcessStartInfo("ip")
        {
            WorkingDirectory = Path.GetDirectoryName(RealAgentProcess.AgentAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "netns", "exec", network.Name, "dotnet", RealAgentProcess.AgentAssembly })
        {
            start.ArgumentList.Add(argument);
        }

        var settings = new Dictionary<string, string>
        {
            ["Agent:NodeName"] = nodeName,
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = targetPid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = stateDirectory,
            ["Agent:TokenFile"] = tokenFile,
            ["Kestrel:Endpoints:Http:Url"] = string.Create(CultureInfo.InvariantCulture, $"http://{network.NodeAddress}:{HttpPort}"),
            ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:Grpc:Url"] = string.Create(CultureInfo.InvariantCulture, $"http://{network.NodeAddress}:{GrpcPort}"),
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
        };
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        var process = Process.Start(start) ?? throw new InvalidOperationException("ip netns exec did not start");
        var agent = new NamespacedAgentProcess(process);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{network.NodeAddress}:{HttpPort}/health"));
        await Eventually.TrueAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The agent of {nodeName} exited with {process.ExitCode} before it was healthy:\n{agent.Output}");
                }

                try
                {
                    using var response = await http.GetAsync(health);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException)
                {
                    return false;
                }
            },
            $"the agent of {nodeName} to be healthy",
            TimeSpan.FromSeconds(60));
        return agent;
    }

    /// <summary>SIGKILL: the agent dies with no chance to clean up, as on an OOM kill or a node crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
