using FaultAgent.Metrics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace FaultAgent.Hosting;

/// <summary>
/// The agent's Kestrel endpoints as code fixes them, whatever the working directory, appsettings.json or the
/// environment say: <c>Grpc</c> serves HTTP/2 only (gRPC without TLS needs prior-knowledge HTTP/2), <c>Http</c> serves
/// HTTP/1.1 only, the optional <c>Control</c> (the probes and the emergency stop, <see cref="ControlEndpointMiddleware"/>)
/// HTTP/2 only, and no request body (or gRPC message) is read past <see cref="MaxRequestBodyBytes"/>. Their addresses
/// are deployment settings (<c>Kestrel:Endpoints:Http:Url</c>, <c>Kestrel:Endpoints:Grpc:Url</c>, <c>Kestrel:Endpoints:Control:Url</c>)
/// with defaults here for the first two. Each endpoint holds at most <c>Agent:Http:MaxConnections</c> connections
/// (<see cref="AgentHttpOptions"/>; Kestrel counts its <c>MaxConcurrentConnections</c> per endpoint). Kestrel schedules
/// inline, as the API's does (see <see cref="AddAgentEndpoints"/>).
/// </summary>
public static class AgentEndpoints
{
    public const string HttpEndpoint = "Http";
    public const string GrpcEndpoint = "Grpc";
    public const string DefaultHttpUrl = "http://0.0.0.0:8083";
    public const string DefaultGrpcUrl = "http://0.0.0.0:8084";

    /// <summary>The largest request body (and gRPC message) the agent reads: 64 KiB, many times its largest valid request.</summary>
    public const int MaxRequestBodyBytes = 64 * 1024;

    /// <summary>
    /// Adds, last (so it wins over appsettings.json, the environment and the command line), each endpoint's protocol and,
    /// where no address is configured, its default address; caps request bodies at <see cref="MaxRequestBodyBytes"/> and
    /// each endpoint's connections at <c>Agent:Http:MaxConnections</c> (validated at start).
    /// </summary>
    public static IHostApplicationBuilder AddAgentEndpoints(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var fixedSettings = new Dictionary<string, string?>
        {
            [Key(HttpEndpoint, "Protocols")] = nameof(HttpProtocols.Http1),
            [Key(GrpcEndpoint, "Protocols")] = nameof(HttpProtocols.Http2),
        };
        if (string.IsNullOrEmpty(builder.Configuration[Key(HttpEndpoint, "Url")]))
        {
            fixedSettings[Key(HttpEndpoint, "Url")] = DefaultHttpUrl;
        }

        if (string.IsNullOrEmpty(builder.Configuration[Key(GrpcEndpoint, "Url")]))
        {
            fixedSettings[Key(GrpcEndpoint, "Url")] = DefaultGrpcUrl;
        }

        if (!string.IsNullOrEmpty(builder.Configuration[Key(ControlEndpointMiddleware.EndpointName, "Url")]))
        {
            fixedSettings[Key(ControlEndpointMiddleware.EndpointName, "Protocols")] = nameof(HttpProtocols.Http2);
        }

        builder.Configuration.AddInMemoryCollection(fixedSettings);
        builder.Services.AddOptions<AgentHttpOptions>()
            .BindConfiguration(AgentHttpOptions.SectionName)
            .ValidateAttributes<AgentHttpOptions, AgentHttpOptionsAttributeValidator>()
            .ValidateOnStart();
        // At the cap Kestrel closes each newly accepted connection at once, reading nothing from it; the connections it
        // holds are not touched. Upgraded (WebSocket) connections: the agent serves none.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<AgentHttpOptions>>((o, http) =>
        {
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            o.Limits.MaxConcurrentConnections = http.Value.MaxConnections;
        });
        // A connection's reads and writes continue on the thread their socket completion arrived on instead of each being
        // handed to another pool thread (#14, BENCHMARKS.md "the agent's CPU per injection, profiled"). Socket completions
        // still come from the thread pool (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS is not set), so no request code
        // runs on the socket engine's epoll thread. A batch leader does its journal fsync and /dev/kmsg writes synchronously
        // on its own pool thread (one batch at a time: the registry's gate); every other injection awaits the gate.
        builder.Services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = true);
        return builder;
    }

    /// <summary>Restricts the <c>Control</c> endpoint's port, when configured, to the probes and the emergency stop (<see cref="ControlEndpointMiddleware"/>).</summary>
    public static IApplicationBuilder UseAgentControlEndpoint(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (MetricsEndpointMiddleware.ConfiguredPort(app.Configuration[Key(ControlEndpointMiddleware.EndpointName, "Url")]) is { } port)
        {
            app.UseMiddleware<ControlEndpointMiddleware>(port);
        }

        return app;
    }

    /// <summary>Answers 404 to an HTTP route asked over HTTP/2 (the gRPC ports) and to a gRPC method asked over HTTP/1.x (the HTTP port): <see cref="EndpointProtocolMiddleware"/>.</summary>
    public static IApplicationBuilder UseAgentEndpointProtocols(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<EndpointProtocolMiddleware>(MetricsEndpointMiddleware.ConfiguredPort(app.Configuration[Key(MetricsEndpointMiddleware.EndpointName, "Url")]) ?? -1);
        return app;
    }

    private static string Key(string endpoint, string setting) => $"Kestrel:Endpoints:{endpoint}:{setting}";
}
