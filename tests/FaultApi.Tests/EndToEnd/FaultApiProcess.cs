using System.Globalization;
using System.Net;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// The real FaultApi (<c>dotnet src/FaultApi/bin/&lt;configuration&gt;/net10.0/FaultApi.dll</c>) as a child process in the
/// root namespace, on 127.0.0.1 at a free port. Ready once <c>/ready</c> answers 200 (its routing cache synced).
/// </summary>
public sealed class FaultApiProcess : IAsyncDisposable
{
    private readonly ProductProcess _process;

    private FaultApiProcess(ProductProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output => _process.Output;

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

    /// <param name="workingDirectory">Where the process starts (default: beside FaultApi.dll).</param>
    public static Task<FaultApiProcess> StartAsync(IDictionary<string, string> settings, string? workingDirectory = null) =>
        StartAsync(settings, [], ApiAssembly, workingDirectory);

    /// <summary>
    /// Runs <c>dotnet <paramref name="apiAssembly"/></c> behind the command <paramref name="launcher"/> (empty: as it is),
    /// e.g. a confinement that execs it (<see cref="Security.ConfinedApiLauncher"/>).
    /// </summary>
    public static async Task<FaultApiProcess> StartAsync(IDictionary<string, string> settings, IReadOnlyList<string> launcher, string apiAssembly, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(launcher);
        var port = LoopbackAddresses.FreePort(IPAddress.Loopback);
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        string[] command = [.. launcher, "dotnet", apiAssembly, "--urls", address.ToString().TrimEnd('/')];
        var process = await ProductProcess.StartAsync(
            command[0], command[1..], settings, workingDirectory ?? Path.GetDirectoryName(apiAssembly)!, new Uri(address, "/ready"), "the API");
        return new FaultApiProcess(process, address);
    }

    /// <summary>
    /// Settings of an API routing gpu-node-001 statically to a loopback port where nothing listens (agent calls give up
    /// after 2 s), with the caller tokens <paramref name="tokens"/>, its agent token and its stop state in <paramref name="directory"/>.
    /// </summary>
    public static Dictionary<string, string> StaticSettings(TestDirectory directory, string tokens)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var agentToken = directory.Combine("agent-token");
        File.WriteAllText(agentToken, $"{ApiApplicationFactory.AgentToken}\n");
        return new Dictionary<string, string>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:gpu-node-001"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{LoopbackAddresses.FreePort(IPAddress.Loopback)}"),
            ["Auth:TokenFile"] = tokens,
            ["Agents:TokenFile"] = agentToken,
            ["Agents:CallTimeoutSeconds"] = "2",
            ["Stop:StateFile"] = directory.Combine("stop.json"),
        };
    }

    /// <summary>A client of this API presenting <paramref name="callerToken"/>.</summary>
    public HttpClient CreateClient(string callerToken)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", callerToken);
        return client;
    }

    /// <summary>The API's process, for its output (the JSON console log: audit events, warnings).</summary>
    public ProductProcess Process => _process;

    /// <summary>Runs the API with <paramref name="settings"/> expecting it to refuse to start: its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunUntilExitAsync(IDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = LoopbackAddresses.FreePort(IPAddress.Loopback);
        return ProductProcess.RunUntilExitAsync(
            "dotnet", [ApiAssembly, "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")], settings, Path.GetDirectoryName(ApiAssembly)!);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
