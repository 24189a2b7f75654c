using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// Which injections wake the registry's background passes (<see cref="FaultRegistry.ChangeToken"/>): only those that give
/// one of them something to do — an expiry, DCGM writes, a state other than active. An open-ended fault does not: the
/// passes' wake-ups ran on the batch leader's thread before its caller was answered.
/// </summary>
public sealed class FaultRegistryChangeTokenTests : IDisposable
{
    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Inject_OpenEndedFault_LeavesTheChangeTokenUncancelled()
    {
        var registry = await _context.StartAsync();
        var changed = registry.ChangeToken;

        await _context.InjectAsync(registry, _context.Planned("f-1", "line one"));

        Assert.False(changed.IsCancellationRequested);
        Assert.Equal(FaultState.Active, (await registry.GetAsync("f-1", CancellationToken.None)).State);
    }

    [Fact]
    public async Task Inject_FaultWithDuration_CancelsTheChangeToken()
    {
        var registry = await _context.StartAsync();
        var changed = registry.ChangeToken;

        await _context.InjectAsync(registry, _context.Planned("f-1", "line one", duration: TimeSpan.FromMinutes(5)));

        Assert.True(changed.IsCancellationRequested);
    }

    [Fact]
    public async Task Clear_OpenEndedFault_CancelsTheChangeToken()
    {
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("f-1", "line one"));
        var changed = registry.ChangeToken;

        await registry.ClearAsync("f-1", "test", CancellationToken.None);

        Assert.True(changed.IsCancellationRequested);
    }
}
