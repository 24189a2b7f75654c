using FaultApi.Agents;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Agents;

/// <summary>
/// <see cref="AgentClientPool"/>'s leases against <see cref="AgentClientPool.KeepOnly"/> (the routing table's addresses):
/// a channel given up is disposed only once no call holds it, and a lease after that never gets it back. No channel
/// here ever connects (the addresses are never called).
/// </summary>
public sealed class AgentClientPoolLeaseTests : IDisposable
{
    private static readonly Uri Agent = new("http://127.0.0.1:9");
    private static readonly Uri Other = new("http://127.0.0.2:9");
    private readonly AgentClientPool _pool = new(Options.Create(new AgentsOptions { TokenFile = "unused", CallTimeoutSeconds = 10 }));

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void KeepOnly_IdleChannelsAddressGone_DisposedAtOnce()
    {
        using (_pool.Lease(Agent))
        {
        }

        using var other = _pool.Lease(Other);
        _pool.KeepOnly([Other]);

        Assert.False(_pool.Contains(Agent));
        Assert.True(_pool.Contains(Other));
        Assert.Equal(1, _pool.Count);
        Assert.Equal(0, _pool.Draining);
        Assert.Equal(1, _pool.DisposedChannels);
        Assert.False(other.Channel.Disposed);
    }

    [Fact]
    public void Lease_AddressGoneWhileLeasedThenBack_OldChannelDisposedWhenItsLeaseEndsNewLeaseGetsAFreshOne()
    {
        var running = _pool.Lease(Agent);
        _pool.KeepOnly([]);

        Assert.False(_pool.Contains(Agent));
        Assert.False(running.Channel.Disposed);
        Assert.Equal(1, _pool.Draining);
        Assert.Equal(0, _pool.DisposedChannels);

        // The same IP back, for a new pod.
        _pool.KeepOnly([Agent]);
        using var fresh = _pool.Lease(Agent);
        Assert.NotSame(running.Channel, fresh.Channel);
        Assert.True(_pool.Contains(Agent));

        running.Dispose();
        running.Dispose();

        Assert.True(running.Channel.Disposed);
        Assert.False(fresh.Channel.Disposed);
        Assert.Equal(0, _pool.Draining);
        Assert.Equal(1, _pool.DisposedChannels);
        using var again = _pool.Lease(Agent);
        Assert.Same(fresh.Channel, again.Channel);
    }

    [Fact]
    public void Lease_AddressNotInTheRoutingTable_ChannelForThatCallAloneDisposedWhenItEnds()
    {
        _pool.KeepOnly([Other]);

        var first = _pool.Lease(Agent);
        using var second = _pool.Lease(Agent);

        Assert.NotSame(first.Channel, second.Channel);
        Assert.Equal(0, _pool.Count);
        Assert.Equal(2, _pool.Draining);
        first.Dispose();
        Assert.True(first.Channel.Disposed);
        Assert.False(second.Channel.Disposed);
        Assert.Equal(1, _pool.Draining);
    }

    [Fact]
    public async Task Lease_ConcurrentWithTheAddressGoingAndComingBack_NoLeaseEverHoldsADisposedChannel()
    {
        const int Workers = 4;
        const int LeasesEach = 5_000;
        var heldDisposed = 0;
        var leases = 0;
        using var stop = new CancellationTokenSource();
        var flipper = Task.Run(() =>
        {
            var flips = 0;
            while (!stop.IsCancellationRequested)
            {
                _pool.KeepOnly(flips++ % 2 == 0 ? [] : [Agent]);
            }

            return flips;
        });

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < LeasesEach; i++)
            {
                using var lease = _pool.Lease(Agent);
                Interlocked.Increment(ref leases);
                if (lease.Channel.Disposed)
                {
                    Interlocked.Increment(ref heldDisposed);
                }

                if (i % 100 == 0)
                {
                    await Task.Yield();
                }

                if (lease.Channel.Disposed)
                {
                    Interlocked.Increment(ref heldDisposed);
                }
            }
        })));
        await stop.CancelAsync();
        var flips = await flipper;
        _pool.KeepOnly([]);

        Assert.Equal(0, heldDisposed);
        Assert.Equal(Workers * LeasesEach, leases);
        Assert.True(flips > 1, $"{flips} flips");
        Assert.Equal(0, _pool.Count);
        Assert.Equal(0, _pool.Draining);
    }
}
