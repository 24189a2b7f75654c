using Microsoft.Extensions.Hosting;

namespace FaultApi.Routing;

/// <summary>
/// Runs the registered agent directory when it has work of its own: the <see cref="KubernetesAgentDirectory"/>'s informers
/// in Kubernetes mode; the static map has none. Which directory that is was decided where it is registered
/// (<see cref="RoutingServiceCollectionExtensions.AddAgentRouting"/>, by <c>Routing:Mode</c>), so in static mode the
/// Kubernetes directory is never created and no kubeconfig is read.
/// </summary>
public sealed class AgentDirectoryHost(IAgentDirectory directory) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        directory is IHostedService hosted ? hosted.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        directory is IHostedService hosted ? hosted.StopAsync(cancellationToken) : Task.CompletedTask;
}
