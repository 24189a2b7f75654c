using FaultAgent.Registry;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A fault's expiry is an instant on the clock that read its injection. When a node's clock is stepped back (an RTC that
/// was a year ahead, corrected by NTP), or the journal was written under such a clock, that instant lies up to the step
/// too far ahead: a fault of 60 s stayed active a year. A timed fault injected later than the clock now reads is ended
/// at once (expired, ended now) when the step is over FaultRegistry.ClockStepTolerance; one without a duration is kept
/// until cleared.
/// </summary>
public sealed class FaultClockStepTests : IDisposable
{
    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task EndExpired_RestartedWithTheClockSteppedBackPastTheInjection_ExpiresTheTimedFaultAtOnce_KeepsTheUntimedOne()
    {
        var before = _context.Time.GetUtcNow();
        var registry = await _context.StartAsync();
        _context.Time.Advance(TimeSpan.FromDays(365)); // the node's clock a year ahead
        await _context.InjectAsync(registry, _context.Planned("sixty-seconds", "a", duration: TimeSpan.FromSeconds(60)));
        await _context.InjectAsync(registry, _context.Planned("until-cleared", "b"));

        var stepped = new FakeTimeProvider(before + TimeSpan.FromMinutes(1)); // corrected: a year back
        var restarted = await _context.StartAsync(stepped);

        // Ended by the start's own expiry pass, before anything could read it as active.
        Assert.Equal(0, await restarted.EndExpiredAndPruneAsync(CancellationToken.None));
        var ended = await restarted.GetAsync("sixty-seconds", CancellationToken.None);
        Assert.Equal(FaultState.Expired, ended.State);
        Assert.Equal(stepped.GetUtcNow(), ended.EndedAt);
        Assert.Equal(FaultRegistry.ClockWentBackReason, ended.EndedReason);
        Assert.Equal(["until-cleared"], (await restarted.ListAsync(activeOnly: true, CancellationToken.None)).Select(f => f.FaultId));

        // The end is journaled: the next start finds it ended.
        var again = await _context.StartAsync(stepped);
        Assert.Equal(FaultState.Expired, (await again.GetAsync("sixty-seconds", CancellationToken.None)).State);
    }

    [Fact]
    public async Task EndExpired_TimedFaultInjectedLaterThanTheRunningRegistrysClock_ExpiresAtOnce_AnOrdinaryOneRunsItsDuration()
    {
        var registry = await _context.StartAsync();
        var now = _context.Time.GetUtcNow();
        var ahead = _context.Planned("ahead", "a", duration: TimeSpan.FromSeconds(60)) with { InjectedAt = now.AddDays(365), ExpiresAt = now.AddDays(365).AddSeconds(60) };
        await _context.InjectAsync(registry, ahead);
        await _context.InjectAsync(registry, _context.Planned("ordinary", "b", duration: TimeSpan.FromSeconds(60)));

        Assert.Equal(1, await registry.EndExpiredAndPruneAsync(CancellationToken.None));
        Assert.Equal(FaultState.Expired, (await registry.GetAsync("ahead", CancellationToken.None)).State);
        Assert.Equal(FaultState.Active, (await registry.GetAsync("ordinary", CancellationToken.None)).State);

        _context.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, await registry.EndExpiredAndPruneAsync(CancellationToken.None));
        var ordinary = await registry.GetAsync("ordinary", CancellationToken.None);
        Assert.Equal((FaultState.Expired, "its duration elapsed"), (ordinary.State, ordinary.EndedReason));
    }

    [Fact]
    public async Task EndExpired_ClockSteppedBackLessThanTheTolerance_RunsItsDurationToTheStep()
    {
        var registry = await _context.StartAsync();
        var now = _context.Time.GetUtcNow();
        var step = FaultRegistry.ClockStepTolerance / 2; // an NTP correction: the clock read the injection this much ahead
        var ahead = _context.Planned("slightly-ahead", "a", duration: TimeSpan.FromSeconds(60)) with { InjectedAt = now + step, ExpiresAt = now + step + TimeSpan.FromSeconds(60) };
        await _context.InjectAsync(registry, ahead);

        Assert.Equal(0, await registry.EndExpiredAndPruneAsync(CancellationToken.None));
        Assert.Equal(FaultState.Active, (await registry.GetAsync("slightly-ahead", CancellationToken.None)).State);

        _context.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, await registry.EndExpiredAndPruneAsync(CancellationToken.None));
        _context.Time.Advance(step);
        Assert.Equal(1, await registry.EndExpiredAndPruneAsync(CancellationToken.None));
        var ended = await registry.GetAsync("slightly-ahead", CancellationToken.None);
        Assert.Equal((FaultState.Expired, "its duration elapsed"), (ended.State, ended.EndedReason));
    }
}
