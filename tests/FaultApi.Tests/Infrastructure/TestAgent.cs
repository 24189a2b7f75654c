using System.Net;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaultApi.Tests.Infrastructure;

/// <summary>A <see cref="TestAgentService"/> on real Kestrel (HTTP/2 cleartext) at one loopback address and port.</summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestAgent(WebApplication app, TestAgentService service, IPEndPoint endpoint)
    {
        _app = app;
        Service = service;
        EndPoint = endpoint;
    }

    public TestAgentService Service { get; }

    public IPEndPoint EndPoint { get; }

    public Uri Address => new($"http://{EndPoint}");

    public static async Task<TestAgent> StartAsync(string nodeName, IPAddress address, int port, string agentToken)
    {
        var service = new TestAgentService(nodeName, agentToken);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton<IServiceMethodProvider<TestAgentService>, TestAgentMethodProvider>();
        var app = builder.Build();
        app.MapGrpcService<TestAgentService>();
        await app.StartAsync();
        var bound = new Uri(app.Urls.First());
        return new TestAgent(app, service, new IPEndPoint(address, bound.Port));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
