using FaultApi.Agents;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Agents;

/// <summary>
/// <see cref="AgentClientPool.Lease"/>'s shared channel never stays stuck after its agent's end closed a connection,
/// and reaches an agent that was down on the first call after it listens again. Real Kestrel endpoints on loopback.
/// Before, the shared channels ran Grpc.Net.Client 2.85's subchannel, which can stay Connecting for good when the
/// channel's first connection is closed by the agent's end just as the subchannel finishes connecting: every later call
/// on that channel waited its deadline (see <see cref="AgentClientPool"/>'s CreateChannel). That moment is the
/// subchannel's connect task being held between turning Ready and its cleanup while the first call's connection closes
/// and the next call is picked, which cannot be forced from outside its process; so the race test makes many fresh
/// channels, each with the three calls the race needs, several at once on the shared machine.
/// </summary>
public sealed class SharedChannelConnectRaceTests : IAsyncLifetime
{
    /// <summary>
    /// Fresh channels, each called three times in a row. The subchannel's race hit 1 in ~3,000-14,000 fresh channels in
    /// the probe (11:48-11:50 UTC, load 12-22).
    /// </summary>
    private const int FreshChannels = 40_000;

    /// <summary>Channels in flight at once.</summary>
    private const int Workers = 32;

    /// <summary>
    /// Each call's deadline: an Http1-only endpoint fails a call within milliseconds, so only a call held by the channel
    /// reaches it (a stuck subchannel holds every call to its deadline).
    /// </summary>
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);

    private Http1OnlyServer _http1 = null!;

    public async Task InitializeAsync() => _http1 = await Http1OnlyServer.StartAsync();

    public async Task DisposeAsync() => await _http1.DisposeAsync();

    [Fact]
    public async Task Lease_EndpointClosesEachFreshChannelsFirstConnection_NoLaterCallWaitsItsDeadline()
    {
        var next = 0;
        var held = 0;
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= FreshChannels)
            {
                using var pool = Pool();
                using var lease = pool.Lease(_http1.Address);
                var client = lease.Client;
                for (var call = 1; call <= 3; call++)
                {
                    var failure = await Assert.ThrowsAsync<RpcException>(() => client.ListGpusAsync(new ListGpusRequest(), deadline: DateTime.UtcNow + CallDeadline).ResponseAsync);
                    answers.AddOrUpdate($"call {call}: {failure.StatusCode}", 1, (_, n) => n + 1);
                    if (failure.StatusCode == StatusCode.DeadlineExceeded)
                    {
                        Interlocked.Increment(ref held);
                    }
                }
            }
        })));

        var summary = string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} x{a.Value}"));
        Assert.True(held == 0, $"{held} calls of {FreshChannels} fresh channels waited their deadline: {summary}");
        Assert.Equal(3 * FreshChannels, answers.Values.Sum());
    }

    [Fact]
    public async Task Lease_AgentDownThenListeningAgainOnItsPort_FirstCallAfterItListensIsAnswered()
    {
        var address = LoopbackAddresses.Allocate(1)[0];
        var port = LoopbackAddresses.FreePort(address);
        using var pool = Pool();
        var agent = await TestAgent.StartAsync("gpu-node-001", address, port, ApiApplicationFactory.AgentToken);
        using var lease = pool.Lease(agent.Address);
        var client = lease.Client;
        var headers = new Metadata { { "authorization", "Bearer " + ApiApplicationFactory.AgentToken } };
        Assert.Equal(2, (await client.ListGpusAsync(new ListGpusRequest(), headers, DateTime.UtcNow + CallDeadline)).Gpus.Count);

        await agent.DisposeAsync();
        var down = await Assert.ThrowsAsync<RpcException>(() => client.ListGpusAsync(new ListGpusRequest(), headers, DateTime.UtcNow + CallDeadline).ResponseAsync);
        await using var again = await TestAgent.StartAsync("gpu-node-001", address, port, ApiApplicationFactory.AgentToken);
        var answered = await client.ListGpusAsync(new ListGpusRequest(), headers, DateTime.UtcNow + CallDeadline);

        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
        Assert.Equal(2, answered.Gpus.Count);
        Assert.Equal(1, again.Service.Calls);
    }

    private static AgentClientPool Pool() => new(Options.Create(new AgentsOptions { TokenFile = "unused", CallTimeoutSeconds = 10 }));
}
