using FaultApi.Routing;
using Microsoft.Extensions.Hosting;

namespace FaultApi.Agents;

/// <summary>
/// Gives up the pooled channels of agents that went away: from start to stop, every change of the routing table (an agent
/// pod deleted, no longer ready, terminating, or at a new pod IP) tells <see cref="AgentClientPool.KeepOnly"/> the
/// addresses still routable (<see cref="IAgentDirectory.WatchAgents"/>, in the table's order). In static mode that is
/// the configured addresses once.
/// </summary>
public sealed class AgentChannelCollector(IAgentDirectory directory, AgentClientPool pool) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = directory.WatchAgents(agents => pool.KeepOnly(agents.Select(a => a.Address)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
