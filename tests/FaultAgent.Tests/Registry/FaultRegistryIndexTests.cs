using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// The registry's kept totals (FaultRegistryIndex: open count, next expiry, ended records) against what its records say,
/// through every change that moves them, and the expiry pass that leaves the write gate to injections when nothing is due.
/// </summary>
public sealed class FaultRegistryIndexTests : IDisposable
{
    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task NextExpiry_EarliestFaultClearedThenExpired_FollowsTheOpenFaultsAcrossARestart()
    {
        var registry = await _context.StartAsync();
        var start = _context.Time.GetUtcNow();
        await _context.InjectAsync(registry, _context.Planned("ten", "a", duration: TimeSpan.FromMinutes(10)));
        await _context.InjectAsync(registry, _context.Planned("five", "b", duration: TimeSpan.FromMinutes(5)));
        await _context.InjectAsync(registry, _context.Planned("twenty", "c", duration: TimeSpan.FromMinutes(20)));
        await _context.InjectAsync(registry, _context.Planned("forever", "d"));
        Assert.Equal(start.AddMinutes(5), registry.NextExpiry);
        Assert.Equal(4, registry.ActiveCount);

        await registry.ClearAsync("five", "done", CancellationToken.None);
        Assert.Equal(start.AddMinutes(10), registry.NextExpiry);
        Assert.Equal(new OpenFaults(3, start.AddMinutes(10)), await registry.GetOpenFaultsAsync(CancellationToken.None));

        _context.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await registry.EndExpiredAndPruneAsync(CancellationToken.None));
        Assert.Equal(start.AddMinutes(20), registry.NextExpiry);
        Assert.Equal(2, registry.ActiveCount);

        var restarted = await _context.StartAsync();
        Assert.Equal(start.AddMinutes(20), restarted.NextExpiry);
        Assert.Equal(2, restarted.ActiveCount);

        await restarted.ClearAsync("twenty", "done", CancellationToken.None);
        Assert.Null(restarted.NextExpiry);
        Assert.Equal(new OpenFaults(1, null), await restarted.GetOpenFaultsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Prune_EndedRecordsDroppedOneByOne_KeepsCountingTheRestAndDropsTheNextOldest()
    {
        _context.Options.MaxEndedRecords = 1;
        _context.Options.EndedRetention = TimeSpan.FromHours(1);
        var registry = await _context.StartAsync();
        foreach (var id in new[] { "e-1", "e-2", "e-3" })
        {
            await _context.InjectAsync(registry, _context.Planned(id, id));
            await registry.ClearAsync(id, "done", CancellationToken.None);
            _context.Time.Advance(TimeSpan.FromMinutes(20));
        }

        await registry.EndExpiredAndPruneAsync(CancellationToken.None);
        Assert.Equal(["e-3"], (await registry.ListAsync(false, CancellationToken.None)).Select(f => f.FaultId));

        _context.Time.Advance(TimeSpan.FromMinutes(30));
        await registry.EndExpiredAndPruneAsync(CancellationToken.None);
        Assert.Equal(["e-3"], (await registry.ListAsync(false, CancellationToken.None)).Select(f => f.FaultId));
        _context.Time.Advance(TimeSpan.FromMinutes(11));
        await registry.EndExpiredAndPruneAsync(CancellationToken.None);
        Assert.Empty(await registry.ListAsync(false, CancellationToken.None));
    }

    [Fact]
    public async Task EndExpiredAndPrune_NothingDueWhileABatchHoldsTheGate_ReturnsWithoutWaitingForIt()
    {
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("later", "a", duration: TimeSpan.FromMinutes(5)));

        using (var batch = await registry.BeginInjectionBatchAsync(CancellationToken.None))
        {
            var pass = registry.EndExpiredAndPruneAsync(CancellationToken.None);

            Assert.Equal(0, await pass.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        _context.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await registry.EndExpiredAndPruneAsync(CancellationToken.None));
    }
}
