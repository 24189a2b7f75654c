using FaultApi.Agents;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Agents;

/// <summary>
/// <see cref="AgentClientPool"/>'s channels at every <c>Agents:MaxAttempts</c> the settings allow (1 to 5): a call to an
/// address where nothing listens is UNAVAILABLE, the answer the API maps to 503 "Agent unavailable". Before, at 1 every
/// call threw InvalidOperationException ("Retry policy max attempts must be greater than 1.": gRPC refuses a retry
/// policy of one attempt), which the API answered with a bare 500 — every agent call failed.
/// </summary>
public sealed class AgentClientPoolAttemptsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task ListGpus_NothingListensAtTheAddress_UnavailableAtEveryAllowedMaxAttempts(int maxAttempts)
    {
        using var pool = new AgentClientPool(Options.Create(new AgentsOptions { TokenFile = "unused", CallTimeoutSeconds = 10, MaxAttempts = maxAttempts }));
        using var lease = pool.Lease(new Uri($"http://127.0.0.1:{LoopbackAddresses.FreePort(System.Net.IPAddress.Loopback)}"));

        var error = await Assert.ThrowsAsync<RpcException>(() => lease.Channel.Client.ListGpusAsync(new ListGpusRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
