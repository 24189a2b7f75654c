using FaultApi.Suites;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaultApi.Tests.Suites;

/// <summary>
/// The suites a replica runs, at shutdown. A host can be stopped twice at once (WebApplicationFactory's dispose stops it
/// while the app's own thread, woken by the same stop, stops and disposes it), so <c>SuiteResumeHost.StopAsync</c> may
/// call <see cref="RunningSuites.StopAllAsync"/> after the container disposed it; CI saw that throw
/// ObjectDisposedException from a disposed token source.
/// </summary>
public sealed class RunningSuitesTests
{
    [Fact]
    public async Task StopAllAsync_AfterDispose_Returns()
    {
        var running = new RunningSuites(NullLogger<RunningSuites>.Instance);
        await running.DisposeAsync();

        await running.StopAllAsync();

        Assert.True(running.Stopping);
        Assert.Empty(running.Ids);
    }
}
