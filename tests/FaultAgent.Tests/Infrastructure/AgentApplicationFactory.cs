using System.Net;
using FaultAgent.EmergencyStop;
using FaultInjection.TestSupport.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// The real agent app on real Kestrel, both endpoints on loopback port 0 (<see cref="HttpAddress"/> HTTP/1.1,
/// <see cref="GrpcAddress"/> HTTP/2), with its own state directory and token file. Once started, its emergency-stop state
/// is confirmed as an API would (the state it holds set again: <c>SetEmergencyStop</c>'s own service call), so tests
/// inject directly; <c>confirmStop: false</c> leaves it as a just-started agent, refusing real injections as unconfirmed.
/// </summary>
public sealed class AgentApplicationFactory : WebApplicationFactory<Program>
{
    public const string ApiTokenName = "fault-api";
    public const string ApiToken = "api-0123456789abcdef0123456789";
    public const string OpsToken = "ops-abcdefghijklmnopqrstuvwxyz";

    private readonly Dictionary<string, string?> _settings;
    private readonly StartupFailureRecorder _startup = new();
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly bool _confirmStop;
    private ListenOptions? _httpListen;
    private ListenOptions? _grpcListen;
    private GrpcChannel? _channel;

    /// <param name="targetPid">The process whose mount namespace the real kernel log enters (a <see cref="TargetNamespaceProcess"/>; never pid 1).</param>
    /// <param name="confirmStop">Confirm the agent's emergency-stop state once started (as the API's first push would); false: leave it unconfirmed.</param>
    public AgentApplicationFactory(int targetPid, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null, bool confirmStop = true)
    {
        _confirmStop = confirmStop;
        Directory.CreateDirectory(TestDirectory.Combine("state"));
        var procRoot = TestProcRoot.Create(TestDirectory.Path);
        File.WriteAllText(TokenFile, $"# tokens\n{ApiTokenName}:{ApiToken}\n{OpsToken}\n");
        _settings = new Dictionary<string, string?>
        {
            ["Agent:NodeName"] = "node-a",
            ["Agent:StateDirectory"] = TestDirectory.Combine("state"),
            ["Agent:TokenFile"] = TokenFile,
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = targetPid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:Grpc:Url"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }

        _configureServices = configureServices;
        UseKestrel(options => options.ConfigurationLoader?
            .Endpoint("Http", endpoint => _httpListen = endpoint.ListenOptions)
            .Endpoint("Grpc", endpoint => _grpcListen = endpoint.ListenOptions));
    }

    public TestDirectory TestDirectory { get; } = new();

    public string TokenFile => TestDirectory.Combine("token");

    public Uri HttpAddress => Address(_httpListen, "Http");

    public Uri GrpcAddress => Address(_grpcListen, "Grpc");

    public AgentClient CreateClient(out GrpcChannel channel)
    {
        StartServer();
        channel = _channel ??= GrpcChannel.ForAddress(GrpcAddress);
        return new AgentClient(channel);
    }

    public AgentClient CreateGrpcClient() => CreateClient(out _);

    public HttpClient CreateHttpClient(string? token = ApiToken)
    {
        StartServer();
        var client = new HttpClient { BaseAddress = HttpAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    public static Metadata Auth(string token = ApiToken, string? onBehalfOf = null)
    {
        var metadata = new Metadata { { "authorization", $"Bearer {token}" } };
        if (onBehalfOf is not null)
        {
            metadata.Add("x-fault-caller", onBehalfOf);
        }

        return metadata;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => _configureServices?.Invoke(services));
        builder.ConfigureTestServices(_startup.Install);
    }

    /// <summary>Starts the app; a bad setting surfaces as the app's own validation failure (see <see cref="StartupFailureRecorder"/>).</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = _startup.Start(() => base.CreateHost(builder));
        if (_confirmStop)
        {
            // GetEmergencyStop, then SetEmergencyStop of that state: what the API's push does, without the transport.
            var stop = host.Services.GetRequiredService<EmergencyStopService>();
            Task.Run(() => stop.SetAsync(stop.Current, CancellationToken.None)).GetAwaiter().GetResult();
        }

        return host;
    }

    protected override void Dispose(bool disposing)
    {
        _channel?.Dispose();
        base.Dispose(disposing);
        if (disposing)
        {
            TestDirectory.Dispose();
        }
    }

    private Uri Address(ListenOptions? listen, string name)
    {
        StartServer();
        var endpoint = listen?.IPEndPoint ?? throw new InvalidOperationException($"Kestrel endpoint {name} was not bound.");
        return new Uri($"http://{new IPEndPoint(IPAddress.Loopback, endpoint.Port)}");
    }
}
