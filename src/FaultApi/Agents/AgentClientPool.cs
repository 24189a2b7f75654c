using System.Collections.Concurrent;
using System.Net;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Options;

namespace FaultApi.Agents;

/// <summary>
/// One cached <see cref="GrpcChannel"/> (and client) per agent address, over a <see cref="SocketsHttpHandler"/> with
/// HTTP/2 keep-alive pings and multiple connections. The channel's retry policy retries UNAVAILABLE only for safe
/// methods: the reads (telemetry and bug-report metadata included), and the injections, which always carry a fault id
/// and an idempotency key (the same bytes on every attempt), so the agent replays instead of writing twice; the agent
/// answers UNAVAILABLE only when nothing was written. An injection whose outcome is unknown (UNKNOWN) or partial
/// (DATA_LOSS) is never retried. ClearFault is never retried.
/// </summary>
public sealed class AgentClientPool : IDisposable
{
    private static readonly string Service = "faultinjection.agent.v1.FaultAgent";

    /// <summary>
    /// The <see cref="SocketsHttpHandler.Properties"/> key with which Grpc.Net.Client (GrpcChannel's handler-type
    /// detection, since grpc/grpc-dotnet#2274) treats a SocketsHttpHandler as a custom handler: no subchannel connection
    /// management, the handler's own connection pool (<see cref="CreateChannel"/>).
    /// </summary>
    internal const string GrpcLoadBalancingDisabled = "__GrpcLoadBalancingDisabled";

    private readonly ConcurrentDictionary<Uri, Lazy<(GrpcChannel Channel, AgentClient Client)>> _clients = new();
    private readonly AgentsOptions _options;

    // One retry configuration for every channel: grpc-dotnet's configuration types are each a Dictionary<string, object>
    // underneath, so a ServiceConfig built per channel (the config, its MethodConfig, RetryPolicy and ten MethodNames) was
    // 16 dictionaries and ~8.5 KB kept alive per agent — 16,004 of them, 8.2 MB of the API's 37.7 MB live heap after a
    // 1000-agent gather (BENCHMARKS.md, 2026-12-03 10:05). A channel only reads it when it is created.
    private readonly ServiceConfig _serviceConfig;

    public AgentClientPool(IOptions<AgentsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _serviceConfig = CreateServiceConfig(_options.MaxAttempts);
    }

    public AgentClient GetClient(Uri address) =>
        _clients.GetOrAdd(address, a => new(() => Create(a))).Value.Client;

    public void Dispose()
    {
        foreach (var entry in _clients.Values)
        {
            if (entry.IsValueCreated)
            {
                entry.Value.Channel.Dispose();
            }
        }

        _clients.Clear();
    }

    /// <summary>
    /// A channel of its own (the caller disposes it) to <paramref name="address"/> whose connections read nothing the
    /// agent's end sends before the call's HEADERS frame is written (<see cref="AnswerAfterRequestStream"/>): what that
    /// end answered to the connection preface — HTTP_1_1_REQUIRED, a GOAWAY, a close or reset — reaches the call as its
    /// cause. For <see cref="AgentCaller"/>'s one retry of a call whose new connection shut down before the call had a
    /// stream; every other call uses <see cref="GetClient"/>'s shared channel, whose connections are not wrapped.
    /// </summary>
    public GrpcChannel CreateAnswerAfterRequestChannel(Uri address)
    {
        var handler = CreateHandler();
        // The plaintext HTTP stream (past TLS for an https:// agent), exactly what Http2Connection reads and writes.
        handler.PlaintextStreamFilter = (context, _) => ValueTask.FromResult<Stream>(
            context.NegotiatedHttpVersion == HttpVersion.Version20 ? new AnswerAfterRequestStream(context.PlaintextStream) : context.PlaintextStream);
        return CreateChannel(address, handler);
    }

    private (GrpcChannel, AgentClient) Create(Uri address)
    {
        var channel = CreateChannel(address, CreateHandler());
        return (channel, new AgentClient(channel));
    }

    private SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, _options.CallTimeoutSeconds)),
        // The handler makes and owns its connections; the channel only sends through it (see CreateChannel).
        Properties = { [GrpcLoadBalancingDisabled] = true },
    };

    /// <summary>
    /// A channel over <paramref name="handler"/>, whose connections the handler makes and owns
    /// (<see cref="GrpcLoadBalancingDisabled"/> on it): a call with no usable connection opens one, as any HttpClient
    /// request does, so an agent that was down (restarting, or not yet listening when this API started) is reachable on
    /// the first call after it listens again, and a call to an agent that is down fails fast (connection refused:
    /// UNAVAILABLE, which the retry policy below retries for the safe methods within the deadline).
    /// Why not grpc-dotnet's own connection management (a SocketsHttpHandler channel otherwise runs a pick-first
    /// subchannel that connects the socket itself and hands it to the handler through its ConnectCallback): in
    /// Grpc.Net.Client 2.85 that subchannel can stay Connecting for good. When the endpoint closes a channel's first
    /// connection right after it opened (an HTTP/1.1-only endpoint's GOAWAY HTTP_1_1_REQUIRED; a restarting pod, a crash
    /// loop, a node's conntrack reset), the subchannel goes Idle again at once; a call picked then requests a connection
    /// (Idle -> Connecting), but Subchannel.ConnectTransportAsync returns without connecting ("connect in progress",
    /// grpc/grpc-dotnet#2618's check) while the first connect's ConnectContext is not yet disposed (its finally, after
    /// TryConnectAsync returned); nothing moves the subchannel out of Connecting, and every later call waits in
    /// ConnectionManager.PickAsync for a picker that never comes, until its deadline: a 504 "Agent timeout" on every call
    /// to that agent until the API restarted (12 of 192,631 fresh channels' second calls, caab98d's probe). Marked so, the
    /// channel takes PassiveSubchannelTransport: its one subchannel is Ready from the first pick and never leaves it (it
    /// never connects anything; nothing else reads its state), so no call waits for a connect. Also why the channel has no
    /// reconnect backoff (InitialReconnectBackoff/MaxReconnectBackoff apply only to that subchannel's connects).
    /// SharedChannelConnectRaceTests holds this.
    /// </summary>
    private GrpcChannel CreateChannel(Uri address, SocketsHttpHandler handler) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            ServiceConfig = _serviceConfig,
            MaxRetryAttempts = _options.MaxAttempts,
            DisposeHttpClient = true,
        });

    private static ServiceConfig CreateServiceConfig(int maxAttempts)
    {
        var safe = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = maxAttempts,
                InitialBackoff = TimeSpan.FromMilliseconds(100),
                MaxBackoff = TimeSpan.FromSeconds(1),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var method in new[] { "ListFaults", "GetFault", "ListGpus", "GetCatalog", "InjectXid", "InjectSxid", "GetGpuTelemetry", "ListGpuProcesses", "ListBugReports", "GetBugReport" })
        {
            safe.Names.Add(new MethodName { Service = Service, Method = method });
        }

        return new ServiceConfig { MethodConfigs = { safe } };
    }
}
