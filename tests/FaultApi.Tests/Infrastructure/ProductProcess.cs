using System.Diagnostics;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// One of the product's programs (<c>dotnet FaultAgent.dll</c>, <c>dotnet FaultApi.dll</c>, or either behind
/// <c>ip netns exec</c>) as a child process: settings as <c>--Key=value</c> arguments, the production environment, its
/// output kept for failure messages, started only once an HTTP route answers, killed on dispose.
/// </summary>
public sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ProductProcess(Process process) => _process = process;

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

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/> then every setting, in <paramref name="workingDirectory"/>,
    /// and waits (up to 60 s) until <paramref name="readyUrl"/> answers with success; fails at once, with the output,
    /// if the process exits first.
    /// </summary>
    public static async Task<ProductProcess> StartAsync(
        string program,
        IEnumerable<string> arguments,
        IEnumerable<KeyValuePair<string, string>> settings,
        string workingDirectory,
        Uri readyUrl,
        string what)
    {
        var child = Launch(program, arguments, settings, workingDirectory);
        try
        {
            await child.WaitReadyAsync(readyUrl, what);
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }

    /// <summary>Runs <paramref name="program"/> as <see cref="StartAsync"/> does, for a process expected to stop by itself (a refused start): its exit code and output (at most 60 s).</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(
        string program,
        IEnumerable<string> arguments,
        IEnumerable<KeyValuePair<string, string>> settings,
        string workingDirectory)
    {
        await using var child = Launch(program, arguments, settings, workingDirectory);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await child._process.WaitForExitAsync(timeout.Token);
        return (child._process.ExitCode, child.Output);
    }

    /// <summary>Waits (up to 60 s) until the output holds a line <paramref name="match"/> accepts, and returns that line.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, string what)
    {
        ArgumentNullException.ThrowIfNull(match);
        string? found = null;
        await Eventually.TrueAsync(
            () =>
            {
                found = Output.Split('\n').FirstOrDefault(match);
                return Task.FromResult(found is not null);
            },
            what,
            TimeSpan.FromSeconds(60));
        return found!;
    }

    private static ProductProcess Launch(string program, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string>> settings, string workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var child = new ProductProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL (the process alone: its children, if any, are the test's to see), then wait for it.</summary>
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

    private async Task WaitReadyAsync(Uri readyUrl, string what)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"{what} exited with {_process.ExitCode} before it was ready:\n{Output}");
                }

                try
                {
                    using var response = await http.GetAsync(readyUrl);
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
            $"{what} to be ready",
            TimeSpan.FromSeconds(60));
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
