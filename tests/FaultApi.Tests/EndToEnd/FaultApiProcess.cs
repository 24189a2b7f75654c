using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// The real FaultApi (<c>dotnet src/FaultApi/bin/&lt;configuration&gt;/net10.0/FaultApi.dll</c>) as a child process in the
/// root namespace, on 127.0.0.1 at a free port. Ready once <c>/ready</c> answers 200 (its routing cache synced).
/// </summary>
public sealed class FaultApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private FaultApiProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

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

    /// <summary>src/FaultApi/bin/&lt;Configuration&gt;/net10.0/FaultApi.dll, beside the agent's build output.</summary>
    public static string ApiAssembly
    {
        get
        {
            var agent = new FileInfo(RealAgentProcess.AgentAssembly);
            var framework = agent.Directory!;
            var configuration = framework.Parent!;
            var src = configuration.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(src, "FaultApi", "bin", configuration.Name, framework.Name, "FaultApi.dll");
        }
    }

    public static async Task<FaultApiProcess> StartAsync(IDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = LoopbackAddresses.FreePort(IPAddress.Loopback);
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(ApiAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ApiAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var api = new FaultApiProcess(process, address);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The API exited with {process.ExitCode} before it was ready:\n{api.Output}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri("/ready", UriKind.Relative));
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
            "the API to be ready",
            TimeSpan.FromSeconds(60));
        return api;
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
