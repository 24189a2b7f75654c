using System.Diagnostics;
using System.Net;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// The real FaultAgent (<c>dotnet src/FaultAgent/bin/&lt;configuration&gt;/net10.0/FaultAgent.dll</c>) as a child process:
/// gRPC (HTTP/2) at <c>address:grpcPort</c>, HTTP/1.1 health at <c>address:httpPort</c>, its own simulated /proc tree,
/// state directory, token file and target mount namespace process. Killed on dispose.
/// </summary>
public sealed class RealAgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RealAgentProcess(Process process, Uri grpc, Uri http)
    {
        _process = process;
        GrpcAddress = grpc;
        HttpAddress = http;
    }

    public Uri GrpcAddress { get; }

    public Uri HttpAddress { get; }

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

    public static async Task<RealAgentProcess> StartAsync(string nodeName, IPAddress address, int grpcPort, string procTree, int targetPid, string stateDirectory, string tokenFile)
    {
        var httpPort = LoopbackAddresses.FreePort(address);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(AgentAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AgentAssembly);
        var settings = new Dictionary<string, string>
        {
            ["Agent:NodeName"] = nodeName,
            ["Agent:ProcRoot"] = procTree,
            ["Agent:TargetPid"] = targetPid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = stateDirectory,
            ["Agent:TokenFile"] = tokenFile,
            ["Kestrel:Endpoints:Http:Url"] = $"http://{address}:{httpPort}",
            ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://{address}:{grpcPort}",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
        };
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var agent = new RealAgentProcess(process, new Uri($"http://{address}:{grpcPort}"), new Uri($"http://{address}:{httpPort}"));
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = agent.HttpAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The agent exited with {process.ExitCode} before it was healthy:\n{agent.Output}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            $"the agent of {nodeName} to be healthy",
            TimeSpan.FromSeconds(60));
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync();
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
