using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.EmergencyStop;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Tests.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaultAgent.Tests.EmergencyStop;

/// <summary>The agent's emergency stop over a real state directory: persistence, refusal, version order, expiry of active faults.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopTests : IDisposable
{
    private readonly RegistryTestContext _context = new();
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _context.Dispose();
    }

    [RootFact]
    public async Task Apply_Engaged_IsPersisted_AndARestartedStoreStillRefuses()
    {
        var store = NewStore();
        var (state, changed) = await store.ApplyAsync(Engaged(version: 10), CancellationToken.None);

        Assert.True(changed);
        Assert.True(state.Engaged);
        Assert.True(File.Exists(Path.Combine(_context.Directory.Path, EmergencyStopStore.FileName)));
        var restarted = NewStore();
        var refused = Assert.Throws<EmergencyStopEngagedException>(restarted.ThrowIfRefused);
        Assert.Equal("alice", refused.State.ChangedBy);
        Assert.Equal("drill went wrong", refused.State.Reason);
        Assert.Contains("alice", refused.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Apply_OlderVersion_IsIgnored_NewerReleaseApplies()
    {
        var store = NewStore();
        await store.ApplyAsync(Engaged(version: 10), CancellationToken.None);

        var (stale, staleChanged) = await store.ApplyAsync(Engaged(version: 9) with { Engaged = false }, CancellationToken.None);
        Assert.False(staleChanged);
        Assert.True(stale.Engaged);

        var (released, releasedChanged) = await store.ApplyAsync(Engaged(version: 11) with { Engaged = false }, CancellationToken.None);
        Assert.True(releasedChanged);
        Assert.False(released.Engaged);
        store.ThrowIfRefused();
        Assert.False(NewStore().Current.Engaged);
        Assert.Equal(2, NewStore().History.Count);
    }

    [RootFact]
    public async Task Apply_SameVersionRelease_DoesNotUndoTheStop()
    {
        var store = NewStore();
        await store.ApplyAsync(Engaged(version: 10), CancellationToken.None);

        var (state, changed) = await store.ApplyAsync(Engaged(version: 10) with { Engaged = false, ChangedBy = "mallory" }, CancellationToken.None);

        Assert.False(changed);
        Assert.True(state.Engaged);
        Assert.Throws<EmergencyStopEngagedException>(store.ThrowIfRefused);
    }

    [RootFact]
    public async Task Apply_VersionMoreThanADayAhead_IsRefused_AndNothingChanges()
    {
        var store = NewStore();
        await store.ApplyAsync(Engaged(version: 10), CancellationToken.None);
        var tooFar = EmergencyStopState.MaxVersionAt(_context.Time.GetUtcNow()) + 1;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ApplyAsync(Engaged(version: long.MaxValue) with { Engaged = false }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ApplyAsync(Engaged(version: tooFar) with { Engaged = false }, CancellationToken.None));

        Assert.True(store.Current.Engaged);
        Assert.Equal(10, NewStore().Current.Version);
    }

    [RootFact]
    public async Task Load_VersionMoreThanADayAhead_CountsAsUnreadable_AndAnyPushReplacesIt()
    {
        var store = NewStore();
        await store.ApplyAsync(Engaged(version: 10) with { Engaged = false }, CancellationToken.None);
        var path = Path.Combine(_context.Directory.Path, EmergencyStopStore.FileName);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\"version\": 10", $"\"version\": {long.MaxValue}", StringComparison.Ordinal));

        var restarted = NewStore();

        var refused = Assert.Throws<EmergencyStopEngagedException>(restarted.ThrowIfRefused);
        Assert.Contains("more than a day ahead", refused.State.Reason, StringComparison.Ordinal);
        Assert.Equal(0, restarted.Current.Version);
        await restarted.ApplyAsync(Engaged(version: 11) with { Engaged = false }, CancellationToken.None);
        restarted.ThrowIfRefused();
    }

    [RootFact]
    public async Task Load_UnreadableFile_RefusesUntilAStateIsSet()
    {
        await File.WriteAllTextAsync(Path.Combine(_context.Directory.Path, EmergencyStopStore.FileName), "{ torn");

        var store = NewStore();

        var refused = Assert.Throws<EmergencyStopEngagedException>(store.ThrowIfRefused);
        Assert.Contains("cannot be read", refused.State.Reason, StringComparison.Ordinal);
        await store.ApplyAsync(Engaged(version: 1) with { Engaged = false }, CancellationToken.None);
        store.ThrowIfRefused();
    }

    [RootFact]
    public async Task Set_Engaged_ExpiresEveryActiveFault_AndTheRegistryRefusesNewOnes_WritingNothing()
    {
        var store = await NewConfirmedStoreAsync();
        var registry = NewRegistry();
        await registry.InitializeAsync(CancellationToken.None);
        foreach (var id in new[] { "f-1", "f-2" })
        {
            var planned = _context.Planned(id, $"NVRM: Xid (PCI:0000:3b:00): 79, {id}", fingerprint: id);
            await _context.Pipeline(registry, store).WriteAsync(planned, RegistryTestContext.Lines(planned), CancellationToken.None);
        }

        using var service = new EmergencyStopService(store, registry, _context.Time, NullLogger<EmergencyStopService>.Instance);
        await service.SetAsync(Engaged(version: 5), CancellationToken.None);
        Assert.Equal(0, service.ExpiringFaults);

        var faults = await registry.ListAsync(activeOnly: false, CancellationToken.None);
        Assert.All(faults, f =>
        {
            Assert.Equal(FaultState.Expired, f.State);
            Assert.Equal("emergency stop by alice: drill went wrong", f.EndedReason);
            Assert.Equal("alice", f.EndedBy);
        });
        var writes = _context.KernelLog.WriteCalls;
        var next = _context.Planned("f-3", "NVRM: Xid (PCI:0000:3b:00): 79, f-3", fingerprint: "f-3");
        await Assert.ThrowsAsync<EmergencyStopEngagedException>(() => _context.Pipeline(registry, store).WriteAsync(next, RegistryTestContext.Lines(next), CancellationToken.None));
        Assert.Equal(writes, _context.KernelLog.WriteCalls);

        // The ends are journaled: a restarted registry reads them back.
        registry.Dispose();
        var restarted = NewRegistry();
        await restarted.InitializeAsync(CancellationToken.None);
        Assert.All(await restarted.ListAsync(activeOnly: false, CancellationToken.None), f => Assert.Equal("alice", f.EndedBy));
    }

    [RootFact]
    public async Task Set_Engaged_JournalUnwritable_HoldsTheStop_SaysWhatRemains_AndALaterAttemptEndsThem()
    {
        var store = await NewConfirmedStoreAsync();
        var registry = NewRegistry();
        await registry.InitializeAsync(CancellationToken.None);
        foreach (var id in new[] { "f-1", "f-2" })
        {
            var planned = _context.Planned(id, $"NVRM: Xid (PCI:0000:3b:00): 79, {id}", fingerprint: id);
            await _context.Pipeline(registry, store).WriteAsync(planned, RegistryTestContext.Lines(planned), CancellationToken.None);
        }

        using var service = new EmergencyStopService(store, registry, _context.Time, NullLogger<EmergencyStopService>.Instance);
        using (var journal = ImmutableFile.Make(registry.JournalPath))
        {
            var held = await service.SetAsync(Engaged(version: 5), CancellationToken.None);

            Assert.True(held.Engaged);
            Assert.Equal(2, service.ExpiringFaults);
            Assert.Contains(registry.JournalPath, service.ExpiryError, StringComparison.Ordinal);
            Assert.Equal(2, (await registry.ListAsync(activeOnly: true, CancellationToken.None)).Count);
        }

        Assert.Equal(2, await service.ExpireActiveAsync(CancellationToken.None));
        Assert.Equal(0, service.ExpiringFaults);
        Assert.Null(service.ExpiryError);
        registry.Dispose();
        var restarted = NewRegistry();
        await restarted.InitializeAsync(CancellationToken.None);
        Assert.Empty(await restarted.ListAsync(activeOnly: true, CancellationToken.None));
    }

    [RootFact]
    public async Task ThrowIfRefused_NewStoreNeverStopped_RefusesAsUnconfirmedUntilThePushOfTheStateItHolds()
    {
        var store = NewStore();

        var refused = Assert.Throws<EmergencyStopUnconfirmedException>(store.ThrowIfRefused);
        Assert.False(store.Current.Engaged);
        Assert.False(store.Confirmed);
        Assert.Contains("nothing was written", refused.Message, StringComparison.Ordinal);

        // The never-engaged cluster's state (version 0, released): it changes nothing and confirms.
        var (state, changed) = await store.ApplyAsync(EmergencyStopState.Released, CancellationToken.None);

        Assert.False(changed);
        Assert.Equal(0, state.Version);
        Assert.True(store.Confirmed);
        store.ThrowIfRefused();
        Assert.False(File.Exists(Path.Combine(_context.Directory.Path, EmergencyStopStore.FileName)));
    }

    [RootFact]
    public async Task Apply_PushThatLosesToTheNodesState_DoesNotConfirm_ThePushOfTheStateHeldDoes()
    {
        var first = NewStore();
        await first.ApplyAsync(Engaged(version: 10) with { Engaged = false }, CancellationToken.None);
        first.ThrowIfRefused();
        var restarted = NewStore();

        var (older, olderChanged) = await restarted.ApplyAsync(Engaged(version: 9) with { Engaged = false }, CancellationToken.None);
        var (never, _) = await restarted.ApplyAsync(EmergencyStopState.Released, CancellationToken.None);

        Assert.False(olderChanged);
        Assert.Equal(10, older.Version);
        Assert.Equal(10, never.Version);
        Assert.False(restarted.Confirmed);
        Assert.Throws<EmergencyStopUnconfirmedException>(restarted.ThrowIfRefused);
        await restarted.ApplyAsync(Engaged(version: 10) with { Engaged = false }, CancellationToken.None);
        Assert.True(restarted.Confirmed);
        restarted.ThrowIfRefused();
    }

    [RootFact]
    public async Task Apply_EngagedThenReleased_ConfirmsTheRelease_AndARestartIsUnconfirmedAgain()
    {
        var store = NewStore();

        await store.ApplyAsync(Engaged(version: 10), CancellationToken.None);
        Assert.Throws<EmergencyStopEngagedException>(store.ThrowIfRefused);
        await store.ApplyAsync(Engaged(version: 11) with { Engaged = false }, CancellationToken.None);

        Assert.True(store.Confirmed);
        store.ThrowIfRefused();
        var restarted = NewStore();
        Assert.False(restarted.Confirmed);
        Assert.Equal(11, restarted.Current.Version);
        Assert.Throws<EmergencyStopUnconfirmedException>(restarted.ThrowIfRefused);
    }

    [RootFact]
    public async Task Apply_EngagedAtVersionZero_IsRefused_AndConfirmsNothing()
    {
        var store = NewStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ApplyAsync(Engaged(version: 0), CancellationToken.None));

        Assert.False(store.Confirmed);
    }

    private EmergencyStopState Engaged(long version) => new(true, "alice", _context.Time.GetUtcNow(), "drill went wrong", version);

    private EmergencyStopStore NewStore()
    {
        var store = new EmergencyStopStore(AgentOptions(), _context.Time, NullLogger<EmergencyStopStore>.Instance);
        _owned.Add(store);
        return store;
    }

    /// <summary>A store whose state (never engaged) an API confirmed, as every agent's is before it writes.</summary>
    private async Task<EmergencyStopStore> NewConfirmedStoreAsync()
    {
        var store = NewStore();
        await store.ApplyAsync(EmergencyStopState.Released, CancellationToken.None);
        return store;
    }

    private FaultRegistry NewRegistry()
    {
        var registry = new FaultRegistry(new KernelLogPendingResolver(_context.KernelLog, _context.Time), _context.BootId, _context.Time, AgentOptions(), Microsoft.Extensions.Options.Options.Create(_context.Options), NullLoggerFactory.Instance);
        _owned.Add(registry);
        return registry;
    }

    private Microsoft.Extensions.Options.IOptions<AgentOptions> AgentOptions() =>
        Microsoft.Extensions.Options.Options.Create(new AgentOptions { NodeName = "node-a", StateDirectory = _context.Directory.Path });
}
