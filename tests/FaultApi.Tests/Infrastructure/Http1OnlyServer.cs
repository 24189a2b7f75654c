using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A real Kestrel on loopback that speaks HTTP/1.1 only (<c>HttpProtocols.Http1</c>), as an agent's gRPC port overridden
/// by configuration would: each of its <see cref="Addresses"/> (one port per endpoint asked for) answers an HTTP/2
/// connection preface with HTTP_1_1_REQUIRED.
/// </summary>
public sealed class Http1OnlyServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Http1OnlyServer(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The endpoints' addresses (<c>http://127.0.0.1:port/</c>), in the order they were bound.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first endpoint's address.</summary>
    public Uri Address => Addresses[0];

    /// <summary>The node <see cref="StaticRouting"/> routes to endpoint <paramref name="index"/>: <c>gpu-http1-000</c>, <c>gpu-http1-001</c>, ...</summary>
    public static string NodeName(int index) => $"gpu-http1-{index:000}";

    /// <summary>An API's settings that route node <see cref="NodeName"/>(i) to endpoint i (<c>Routing:Mode</c> Static): each node its own address.</summary>
    public Dictionary<string, string?> StaticRouting()
    {
        var settings = new Dictionary<string, string?> { ["Routing:Mode"] = "Static" };
        for (var i = 0; i < Addresses.Count; i++)
        {
            settings[$"Routing:Static:Nodes:{NodeName(i)}"] = Addresses[i].ToString();
        }

        return settings;
    }

    public static async Task<Http1OnlyServer> StartAsync(int endpoints = 1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Only the endpoints below: no appsettings.json of the test output folder (the agent's, copied there through the
        // project reference, names the agent's fixed endpoints) may add addresses to this server.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            for (var i = 0; i < endpoints; i++)
            {
                k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        app.MapFallback(() => "an HTTP/1.1 server");
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new Http1OnlyServer(app, addresses);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
