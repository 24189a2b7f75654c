using FaultApi.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaultApi.Agents;

/// <summary>
/// Gives up the pooled channels of agents that went away: from start to stop, every change of the routing table (an agent
/// pod deleted, no longer ready, terminating, or at a new pod IP) tells <see cref="AgentClientPool.KeepOnly"/> the
/// addresses still routable (<see cref="IAgentDirectory.WatchAgents"/>, in the table's order). In static mode that is
/// the configured addresses once. Each agent's stop address is kept with it (<see cref="RoutingOptions.StopAddressOf"/>:
/// its Control port when <c>Routing:AgentControlPort</c> is set), so the stop's calls and the reconciler's, every
/// <c>Stop:ReconcileIntervalSeconds</c> to every agent, reuse one channel instead of building one per call.
/// </summary>
public sealed class AgentChannelCollector(IAgentDirectory directory, AgentClientPool pool, IOptions<RoutingOptions> routing) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = routing.Value;
        _subscription = directory.WatchAgents(agents => pool.KeepOnly(agents.SelectMany(a => (Uri[])[a.Address, options.StopAddressOf(a.Address)])));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
