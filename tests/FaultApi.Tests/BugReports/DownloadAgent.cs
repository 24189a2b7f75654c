using System.Net;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaultApi.Tests.BugReports;

/// <summary>
/// A real Kestrel (HTTP/2 cleartext; 127.0.0.1 and port 0, or an agent pod's loopback address and port) serving one
/// <see cref="IDownloadAgentService"/>'s DownloadBugReport.
/// </summary>
public static class DownloadAgent
{
    public static Task<WebApplication> StartAsync<TService>(TService service)
        where TService : class, IDownloadAgentService => StartAsync(service, IPAddress.Loopback, 0);

    public static async Task<WebApplication> StartAsync<TService>(TService service, IPAddress address, int port)
        where TService : class, IDownloadAgentService
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton<IServiceMethodProvider<TService>, DownloadAgentMethodProvider<TService>>();
        var app = builder.Build();
        app.MapGrpcService<TService>();
        await app.StartAsync();
        return app;
    }
}
