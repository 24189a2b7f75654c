using System.Net.Http.Headers;
using FaultInjection.TestSupport.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaultApi.Tests.Infrastructure;

/// <summary>The real API app in memory, with its token files and the given settings.</summary>
public sealed class ApiApplicationFactory : WebApplicationFactory<Program>
{
    public const string AgentToken = "agent-credential-0123456789abcdef";
    public const string AliceToken = "alice-token-0123456789abcdefghij";
    public const string BareToken = "bare-token-abcdefghij0123456789";

    private readonly Dictionary<string, string?> _settings;
    private readonly StartupFailureRecorder _startup = new();
    private readonly Action<IServiceCollection>? _services;

    /// <param name="settings">The app's settings over the test defaults.</param>
    /// <param name="services">Test services added after the app's (e.g. a log recorder); kept also with <c>UseKestrel</c>, unlike <c>WithWebHostBuilder</c>'s.</param>
    public ApiApplicationFactory(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        _services = services;
        File.WriteAllText(CallerTokenFile, $"# callers\nalice:{AliceToken}\n\n{BareToken}\n");
        File.WriteAllText(AgentTokenFile, $"# the API's credential for the agents\n{AgentToken}\n");
        _settings = new Dictionary<string, string?>
        {
            ["Auth:TokenFile"] = CallerTokenFile,
            ["Agents:TokenFile"] = AgentTokenFile,
            ["Agents:CallTimeoutSeconds"] = "10",
            ["Routing:WatchBackoffInitialMilliseconds"] = "50",
            ["Routing:WatchBackoffMaxMilliseconds"] = "500",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Stop:StateFile"] = Directory.Combine("stop-state.json"),
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public TestDirectory Directory { get; } = new();

    public string CallerTokenFile => Directory.Combine("caller-tokens");

    public string AgentTokenFile => Directory.Combine("agent-token");

    public HttpClient CreateAuthenticatedClient(string? token = AliceToken)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(_startup.Install);
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    /// <summary>Starts the app; a bad setting surfaces as the app's own validation failure (see <see cref="StartupFailureRecorder"/>).</summary>
    protected override IHost CreateHost(IHostBuilder builder) => _startup.Start(() => base.CreateHost(builder));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Directory.Dispose();
        }
    }
}
