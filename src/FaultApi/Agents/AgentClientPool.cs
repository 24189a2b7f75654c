using System.Net;
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
/// <para>
/// A call holds its channel through an <see cref="AgentChannelLease"/> (<see cref="Lease"/>). The pool keeps a channel
/// only while its address is a routable agent's (<see cref="KeepOnly"/>, which <see cref="AgentChannelCollector"/> calls
/// with the routing table after each change of it: a pod deleted, not ready or terminating, or moved to a new IP), so
/// an agent fleet's churn (each DaemonSet rollout: every node's agent at a new pod IP) does not leave a channel, its
/// handler, connections and timers behind per old address. An address given up leaves the pool at once, so a later
/// lease of it (the same IP back for a new pod) builds a fresh channel; the old channel is disposed when its last lease
/// ends, so a call already running on it (a bug-report download, a gather) finishes or fails on its own. Leases,
/// the pooled set and the live addresses change only under one lock, so no lease is ever handed a channel that is
/// disposed or about to be: a channel is disposed only once it is retired (out of the pool; never leased again) with no
/// lease. An address leased while it is not in the routing table (a call that looked its agent up just before the
/// table changed) gets a channel for that call alone, disposed when its lease ends. Until the first
/// <see cref="KeepOnly"/> every address is kept.
/// </para>
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

    private readonly Lock _gate = new();
    private readonly Dictionary<Uri, AgentChannel> _channels = [];
    private readonly AgentsOptions _options;

    // One retry configuration for every channel: grpc-dotnet's configuration types are each a Dictionary<string, object>
    // underneath, so a ServiceConfig built per channel (the config, its MethodConfig, RetryPolicy and ten MethodNames) was
    // 16 dictionaries and ~8.5 KB kept alive per agent — 16,004 of them, 8.2 MB of the API's 37.7 MB live heap after a
    // 1000-agent gather (BENCHMARKS.md, 2026-12-03 10:05). A channel only reads it when it is created.
    // Null at Agents:MaxAttempts 1: no retry policy (gRPC refuses one of fewer than 2 attempts, on every call).
    private readonly ServiceConfig? _serviceConfig;

    // The routable agents' addresses (KeepOnly), or null until it was first called: every address is kept.
    private HashSet<Uri>? _live;
    private int _draining;
    private long _disposedChannels;
    private bool _disposed;

    public AgentClientPool(IOptions<AgentsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _serviceConfig = CreateServiceConfig(_options.MaxAttempts);
    }

    /// <summary>Channels in the pool now (one per routable agent address called so far).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _channels.Count;
            }
        }
    }

    /// <summary>Channels out of the pool whose calls still run (disposed when the last one ends).</summary>
    internal int Draining
    {
        get
        {
            lock (_gate)
            {
                return _draining;
            }
        }
    }

    /// <summary>Channels disposed so far (given up by <see cref="KeepOnly"/>, or a one-call channel whose call ended).</summary>
    internal long DisposedChannels => Interlocked.Read(ref _disposedChannels);

    /// <summary>True when a lease of <paramref name="address"/> now gets the pooled channel (it is a routable agent's, or no table came yet).</summary>
    internal bool Keeps(Uri address)
    {
        lock (_gate)
        {
            return _live is null || _live.Contains(address);
        }
    }

    /// <summary>True when <paramref name="address"/> has a channel in the pool.</summary>
    internal bool Contains(Uri address)
    {
        lock (_gate)
        {
            return _channels.ContainsKey(address);
        }
    }

    /// <summary>
    /// The pooled channel to <paramref name="address"/> (built on its first lease), held for one call until the lease is
    /// disposed; a channel of its own for that call when the address is not a routable agent's (see the class remarks).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool was disposed (the API is stopping).</exception>
    internal AgentChannelLease Lease(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_channels.TryGetValue(address, out var channel))
            {
                channel = Create(address);
                if (_live is null || _live.Contains(address))
                {
                    _channels.Add(address, channel);
                }
                else
                {
                    channel.Retired = true;
                    _draining++;
                }
            }

            channel.Leases++;
            return new AgentChannelLease(this, channel);
        }
    }

    /// <summary>
    /// Keeps only the channels of <paramref name="addresses"/> (the routing table's agents): every other pooled channel
    /// leaves the pool now and is disposed now if no call holds it, else when its last lease ends. Calls come in the
    /// table's order (the directory's <see cref="Routing.IAgentDirectory.WatchAgents"/>). Never throws for a disposed pool.
    /// </summary>
    public void KeepOnly(IEnumerable<Uri> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var live = new HashSet<Uri>(addresses);
        List<AgentChannel>? idle = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _live = live;
            List<Uri>? gone = null;
            foreach (var address in _channels.Keys)
            {
                if (!live.Contains(address))
                {
                    (gone ??= []).Add(address);
                }
            }

            foreach (var address in gone ?? [])
            {
                _channels.Remove(address, out var channel);
                channel!.Retired = true;
                if (channel.Leases == 0)
                {
                    channel.Disposed = true;
                    (idle ??= []).Add(channel);
                }
                else
                {
                    _draining++;
                }
            }
        }

        foreach (var channel in idle ?? [])
        {
            DisposeChannel(channel);
        }
    }

    /// <summary>Ends one lease (<see cref="AgentChannelLease.Dispose"/>); the last lease of a retired channel disposes it.</summary>
    internal void Release(AgentChannel channel)
    {
        lock (_gate)
        {
            channel.Leases--;
            if (!channel.Retired || channel.Leases > 0 || channel.Disposed)
            {
                return;
            }

            channel.Disposed = true;
            _draining--;
        }

        DisposeChannel(channel);
    }

    /// <summary>Disposes every channel, leased or not: the API is stopping (its calls were ended before the container disposes the pool).</summary>
    public void Dispose()
    {
        List<AgentChannel> all;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            all = [.. _channels.Values];
            _channels.Clear();
            foreach (var channel in all)
            {
                channel.Retired = true;
                channel.Disposed = true;
            }
        }

        foreach (var channel in all)
        {
            channel.Channel.Dispose();
        }
    }

    /// <summary>
    /// A channel of its own (the caller disposes it) to <paramref name="address"/> whose connections read nothing the
    /// agent's end sends before the call's HEADERS frame is written (<see cref="AnswerAfterRequestStream"/>): what that
    /// end answered to the connection preface — HTTP_1_1_REQUIRED, a GOAWAY, a close or reset — reaches the call as its
    /// cause. For <see cref="AgentCaller"/>'s one retry of a call whose new connection shut down before the call had a
    /// stream; every other call uses <see cref="Lease"/>'s shared channel, whose connections are not wrapped.
    /// </summary>
    public GrpcChannel CreateAnswerAfterRequestChannel(Uri address)
    {
        var handler = CreateHandler();
        // The plaintext HTTP stream (past TLS for an https:// agent), exactly what Http2Connection reads and writes.
        handler.PlaintextStreamFilter = (context, _) => ValueTask.FromResult<Stream>(
            context.NegotiatedHttpVersion == HttpVersion.Version20 ? new AnswerAfterRequestStream(context.PlaintextStream) : context.PlaintextStream);
        return CreateChannel(address, handler);
    }

    private AgentChannel Create(Uri address) => new(address, CreateChannel(address, CreateHandler()));

    private void DisposeChannel(AgentChannel channel)
    {
        channel.Channel.Dispose();
        Interlocked.Increment(ref _disposedChannels);
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

    /// <summary>
    /// The retry policy of the safe methods: <paramref name="maxAttempts"/> on UNAVAILABLE. Null at one attempt: gRPC
    /// refuses a retry policy of fewer than 2 ("Retry policy max attempts must be greater than 1.", thrown by every call
    /// of every method — before, every agent call then failed, a bare 500), and one attempt is no retry at all.
    /// </summary>
    private static ServiceConfig? CreateServiceConfig(int maxAttempts)
    {
        if (maxAttempts < 2)
        {
            return null;
        }

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
