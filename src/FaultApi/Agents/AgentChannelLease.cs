using FaultInjection.Agent.V1;

namespace FaultApi.Agents;

/// <summary>
/// One call's hold on an agent's pooled channel (<see cref="AgentClientPool.Lease"/>): while it is not disposed the pool
/// does not dispose the channel, even after the agent's address left the routing table, so a call already running (a
/// bug-report download, a gather's call) ends on its own, never cut by the pool. Dispose it when the call ended.
/// Disposing twice is harmless.
/// </summary>
internal sealed class AgentChannelLease(AgentClientPool pool, AgentChannel channel) : IDisposable
{
    private int _released;

    /// <summary>The agent's client over the leased channel.</summary>
    public AgentClient Client => channel.Client;

    /// <summary>The leased channel (for the tests: which channel a call went through, and whether it was disposed).</summary>
    public AgentChannel Channel => channel;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            pool.Release(channel);
        }
    }
}
