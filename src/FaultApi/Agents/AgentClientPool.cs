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
    };

    /// <summary>
    /// A channel over <paramref name="handler"/>. A SocketsHttpHandler channel runs grpc-dotnet's subchannel (pick-first
    /// balancer, its socket handed to the handler), hence the reconnect backoffs below. Known, not fixed here: against an
    /// endpoint that closes each connection right after it opens (an HTTP/1.1-only agent's GOAWAY HTTP_1_1_REQUIRED), a
    /// call made just after the channel's first call failed can wait until its deadline: 12 of 192,631 second calls of
    /// fresh channels (Grpc.Net.Client 2.85 probe beside the repo, two calls per channel to a Kestrel Http1-only endpoint,
    /// 3 s deadline, 2 loops; 09:42-09:45 UTC 2026-12-05, load 8-14), 4 of 45,128 with its trace. The trace: the first
    /// call's connection is disposed ~0.3 ms after the subchannel turned Ready, so the subchannel goes Idle; the second
    /// call's pick requests a connection (Idle -> Connecting), but Subchannel.ConnectTransportAsync returns at once ("a
    /// connect in progress") because the first connect's ConnectContext is not yet disposed (that happens in its finally,
    /// after TryConnectAsync returned): no connect runs, the subchannel stays Connecting, and the pick waits for a picker
    /// that never comes (ConnectionManager.PickAsync: "Waiting for a new picker"). Nothing moves it out of Connecting: the
    /// third and fourth calls of each such channel waited their deadlines too (14 of 14, channel state Connecting;
    /// 09:57-09:59, 14 of 119,197 second calls), so every later call through that shared channel is a 504 "Agent timeout"
    /// until the API restarts. The cause is in grpc-dotnet, not in dotnet/runtime; a safe fix here would take the shared
    /// channels off that subchannel (a ConnectCallback of our own), which changes every agent call's connection path and
    /// needs the benchmark first.
    /// </summary>
    private GrpcChannel CreateChannel(Uri address, SocketsHttpHandler handler) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            ServiceConfig = _serviceConfig,
            MaxRetryAttempts = _options.MaxAttempts,
            // An agent that was down (restarting, or not yet listening when this API started) must be reachable again
            // within seconds: the default reconnect backoff grows to two minutes, failing every call fast meanwhile.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
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
