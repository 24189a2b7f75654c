using System.Diagnostics;
using System.Net;
using System.Text;
using Grpc.Net.Client;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// The real agent as its own process (the native binary, or <c>dotnet FaultAgent.dll</c> from the build output: <see cref="AgentCommand"/>), with its settings on the
/// command line and both endpoints on free loopback ports; killed with SIGKILL like an OOM kill or a node crash.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    // The confirmation's channel, kept open while the agent runs: a closed gRPC connection would add a series to its scrape.
    private GrpcChannel? _stopChannel;

    private AgentProcess(Process process, int httpPort, int grpcPort)
    {
        _process = process;
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public Uri HttpAddress { get; }

    public int Pid => _process.Id;

    public Uri GrpcAddress { get; }

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

    /// <summary>
    /// Starts the agent with <paramref name="settings"/> on its command line and waits until it is healthy; it runs in
    /// <paramref name="workingDirectory"/> when given (else beside its executable). Its endpoints' protocols are left to
    /// the agent (fixed in code). Then confirms its emergency-stop state with <see cref="AgentApplicationFactory.ApiToken"/>
    /// as an API would (<see cref="AgentStopConfirmation"/>), unless <paramref name="confirmStop"/> is false (a just-started
    /// agent refuses real injections as unconfirmed).
    /// </summary>
    public static async Task<AgentProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string? workingDirectory = null, bool confirmStop = true)
    {
        var agent = Launch(settings, workingDirectory);
        try
        {
            await agent.WaitHealthyAsync();
            if (confirmStop)
            {
                agent._stopChannel = GrpcChannel.ForAddress(agent.GrpcAddress);
                await AgentStopConfirmation.ConfirmAsync(new AgentClient(agent._stopChannel), AgentApplicationFactory.Auth());
            }
        }
        catch
        {
            // Never leave an agent behind: an orphan keeps its ports, its state directory's lock, and every file
            // descriptor it inherited (one held CI's full-test lock for 40 minutes).
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }

    /// <summary>Starts the agent expecting it to refuse to start; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var agent = Launch(settings);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent._process.WaitForExitAsync(timeout.Token);
        return (agent._process.ExitCode, agent.Output);
    }

    private static AgentProcess Launch(IReadOnlyDictionary<string, string> settings, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var httpPort = FreePorts.On(IPAddress.Loopback);
        var grpcPort = FreePorts.On(IPAddress.Loopback);
        var (program, arguments, agentDirectory) = AgentCommand.For(Path.Combine(AppContext.BaseDirectory, "FaultAgent.dll"));
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory ?? agentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The endpoints on free loopback ports unless the settings name their own.
        var all = new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var agent = new AgentProcess(process, httpPort, grpcPort);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>
    /// SIGTERM, as the kubelet stops the pod or the host shuts down: the agent's stop runs. Waits for the exit at most
    /// <paramref name="deadline"/> and returns its exit code.
    /// </summary>
    public async Task<int> TerminateAsync(TimeSpan deadline)
    {
        await SignalAsync("-TERM");
        using var timeout = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGSTOP: the agent is frozen, timers and all, until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>SIGCONT after <see cref="PauseAsync"/>: every timer that fell due meanwhile fires at once.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    /// <summary>
    /// Every thread of the agent (best paused first, so none is started meanwhile) at nice 19: it then runs on what CPU
    /// the test's threads leave it, so what it does next takes long enough for the test to land a signal inside it.
    /// </summary>
    public async Task LowerPriorityAsync()
    {
        var start = new ProcessStartInfo("renice") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-n", "19", "-p" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var thread in Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
        {
            start.ArgumentList.Add(Path.GetFileName(thread));
        }

        using var renice = Process.Start(start)!;
        await renice.StandardOutput.ReadToEndAsync();
        await renice.WaitForExitAsync();
        if (renice.ExitCode != 0)
        {
            throw new InvalidOperationException($"renice of the agent's threads exited {renice.ExitCode}");
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync();

        // Let the asynchronous readers drain what the process printed.
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        _stopChannel?.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add(signal);
        start.ArgumentList.Add(_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(start)!;
        await kill.WaitForExitAsync();
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

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The agent exited with {_process.ExitCode} before it was healthy:\n{Output}");
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
                catch (TaskCanceledException)
                {
                    return false; // one probe timed out (a loaded machine); the 60 s budget decides
                }
            },
            "the agent process to report healthy",
            TimeSpan.FromSeconds(60));
    }
}
