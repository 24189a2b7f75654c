using FaultInjection.Agent.V1;
using Grpc.Net.Client;

namespace FaultApi.Agents;

/// <summary>
/// One agent address's channel and client in <see cref="AgentClientPool"/>, with the pool's bookkeeping: how many calls
/// hold it (<see cref="Leases"/>) and whether the pool gave it up (<see cref="Retired"/>: no longer pooled, no new lease,
/// disposed when the last lease ends). Both fields are read and written only under the pool's lock.
/// </summary>
internal sealed class AgentChannel(Uri address, GrpcChannel channel)
{
    public Uri Address { get; } = address;

    public GrpcChannel Channel { get; } = channel;

    public AgentClient Client { get; } = new(channel);

    /// <summary>Calls holding the channel now (<see cref="AgentChannelLease"/>s not yet disposed).</summary>
    public int Leases { get; set; }

    /// <summary>True once the pool no longer hands it out; it is disposed when <see cref="Leases"/> is 0.</summary>
    public bool Retired { get; set; }

    /// <summary>True once the pool disposed <see cref="Channel"/> (set, under the pool's lock, just before it does).</summary>
    public bool Disposed { get; set; }
}
