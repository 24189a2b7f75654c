using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaultApi.Routing;

/// <summary>Runs the <see cref="KubernetesAgentDirectory"/>'s informers in Kubernetes mode (nothing in static mode).</summary>
public sealed class KubernetesAgentDirectoryHost(IServiceProvider services, IOptions<RoutingOptions> options) : IHostedService
{
    private KubernetesAgentDirectory? _directory;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Mode != RoutingMode.Kubernetes)
        {
            return Task.CompletedTask;
        }

        _directory = services.GetRequiredService<KubernetesAgentDirectory>();
        return _directory.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _directory?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
