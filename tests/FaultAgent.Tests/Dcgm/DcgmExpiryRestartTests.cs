using System.Globalization;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Tests.Registry;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Xunit.Abstractions;
using Eventually = FaultAgent.Tests.Infrastructure.Eventually;
using ProtoRestoreState = FaultInjection.Agent.V1.DcgmRestoreState;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// DCGM-surface faults whose duration ends while the real agent process is SIGKILLed (dead past the expiry, or killed
/// inside the expiry pass, its write-back's dcgmi held by the stand-in), restarted on the same state directory: the
/// stand-in dcgmi records every value the hostengine took, so "written back once" is observable, and the write ledger
/// (dcgm-writes.journal) is read while the agent is dead.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmExpiryRestartTests : IClassFixture<HostNamespaceFixture>, IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly HostNamespaceFixture _host;
    private readonly TestDirectory _directory = new();
    private readonly ITestOutputHelper _output;

    public DcgmExpiryRestartTests(HostNamespaceFixture host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
    }

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task Restart_DcgmFaultsWhoseDurationEndedWhileTheAgentWasDead_EachWrittenBackOnce_ExpiredAtItsExpiry_LedgerGaugeAndListAgree()
    {
        // Three timed faults on three cells (one over a value DCGM held) and one untimed fault on a fourth; the agent is
        // SIGKILLed before the durations end and restarted only after they did.
        var dcgmi = new StandInDcgmi(_host);
        var settings = DcgmClearRestartTests.Settings(_directory, _host, dcgmi, restoreRetry: "00:00:01");
        var timed = DcgmClearRestartTests.ThreeCells(dcgmi);
        var injected = await InjectThenKillAsync(dcgmi, settings, [.. timed.Select(c => Request(c.Gpu, c.Field, c.Value, TimeSpan.FromSeconds(10))), Request(0, 202, 7, duration: null)]);
        var ids = injected.Take(timed.Length).Select(f => f.FaultId).ToList();
        var open = injected[^1].FaultId;

        var expiries = LoadExpiries(settings, ids);
        await WaitPastAsync(expiries.Values.Max());
        Assert.Equal(timed.Select(c => c.Value), timed.Select(c => dcgmi.Value(c.Gpu, c.Field) ?? -1)); // nothing written back while dead

        await using (var restarted = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(restarted.GrpcAddress);
            var client = new AgentClient(channel);
            await Eventually.TrueAsync(
                async () => (await DcgmClearRestartTests.ListAsync(client)).Where(f => f.FaultId != open).All(f => f.State == FaultState.Expired && f.DcgmWrites.All(w => w.RestoreState == ProtoRestoreState.Restored)),
                "every timed fault expired and its value written back by the restarted agent",
                Generous);
            var listed = (await DcgmClearRestartTests.ListAsync(client)).ToDictionary(f => f.FaultId);
            Assert.All(ids, id => Assert.Equal(expiries[id], listed[id].EndedAt.ToDateTimeOffset()));
            Assert.Equal(FaultState.Active, listed[open].State);
            Assert.Equal([open], (await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults.Select(f => f.FaultId));
            Assert.Equal(1, await ClearRestartTests.ActiveGaugeAsync(restarted));
            await restarted.KillAsync();
        }

        _output.WriteLine(string.Join("; ", dcgmi.Writes.Select(w => $"gpu {w.Gpu} field {w.Field} = {w.Value}")));
        DcgmClearRestartTests.AssertEachWrittenBackOnce(dcgmi, timed);

        Assert.Equal(7, dcgmi.Value(0, 202)); // the untimed fault's value stands
        Assert.Equal([open], DcgmClearRestartTests.OpenLedgerEntries(settings).Select(e => e.FaultId));
    }

    [RootFact]
    public async Task Restart_SigkilledInsideTheExpiryPassOfDcgmFaults_EachWrittenBackOnce_ExpiredAtItsExpiry_LedgerSettled()
    {
        // Three faults on three cells whose durations end at one instant; the stand-in holds the expiry's first
        // write-back (dcgmi test --inject), and the agent is SIGKILLed with it once all three are listed expired.
        var dcgmi = new StandInDcgmi(_host);
        var settings = DcgmClearRestartTests.Settings(_directory, _host, dcgmi, restoreRetry: "00:00:01");
        var cells = DcgmClearRestartTests.ThreeCells(dcgmi);
        var ids = new List<string>();
        await using (var agent = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);
            var end = DateTimeOffset.UtcNow.AddSeconds(10);
            foreach (var (gpu, field, _, value) in cells)
            {
                ids.Add((await client.InjectDcgmFieldAsync(Request(gpu, field, value, end - DateTimeOffset.UtcNow), AgentApplicationFactory.Auth())).Fault.FaultId);
            }

            dcgmi.HoldInjections();
            await Eventually.TrueAsync(
                async () => dcgmi.InjectionHeld && (await DcgmClearRestartTests.ListAsync(client)).All(f => f.State == FaultState.Expired),
                "every fault expired and the first write-back's dcgmi under way",
                Generous);
            await DcgmClearRestartTests.KillWithItsDcgmiAsync(agent, dcgmi);
        }

        dcgmi.ReleaseInjections();
        Assert.Equal(cells.Select(c => c.Value), cells.Select(c => dcgmi.Value(c.Gpu, c.Field) ?? -1)); // nothing written back yet
        var expiries = LoadExpiries(settings, ids);

        await using (var restarted = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(restarted.GrpcAddress);
            var client = new AgentClient(channel);
            await Eventually.TrueAsync(
                async () => (await DcgmClearRestartTests.ListAsync(client)).All(f => f.DcgmWrites.All(w => w.RestoreState == ProtoRestoreState.Restored)),
                "every value written back by the restarted agent",
                Generous);
            var listed = await DcgmClearRestartTests.ListAsync(client);
            Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(f => f.FaultId).Order(StringComparer.Ordinal));
            Assert.All(listed, f => Assert.Equal(FaultState.Expired, f.State));
            Assert.All(listed, f => Assert.Equal(expiries[f.FaultId], f.EndedAt.ToDateTimeOffset()));
            Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
            Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(restarted));
            await restarted.KillAsync();
        }

        _output.WriteLine(string.Join("; ", dcgmi.Writes.Select(w => $"gpu {w.Gpu} field {w.Field} = {w.Value}")));
        DcgmClearRestartTests.AssertEachWrittenBackOnce(dcgmi, cells);

        Assert.Empty(DcgmClearRestartTests.OpenLedgerEntries(settings));
    }

    [RootFact]
    public async Task Restart_FirstOfTwoOverlappingDcgmFaultsOnOneFieldExpiredWhileTheAgentWasDead_HeldForTheSecond_WhoseClearRestoresTheValueBeforeBoth()
    {
        // A writes 79 into XID_ERRORS of GPU 0 for 10 s; B writes 48 into the same field, untimed (its restore value is
        // the value before A: 0). The agent is SIGKILLed before A's duration ends and restarted after it did: A expires
        // at start and is held for B (DCGM keeps B's 48), and B's clear writes 0 — nothing else is written.
        var dcgmi = new StandInDcgmi(_host);
        var settings = DcgmClearRestartTests.Settings(_directory, _host, dcgmi, restoreRetry: "00:00:01");
        var injected = await InjectThenKillAsync(dcgmi, settings, [Request(1, 230, 79, TimeSpan.FromSeconds(10)), Request(1, 230, 48, duration: null)]);
        var a = injected[0].FaultId;
        var b = injected[1];

        Assert.Equal("79", b.DcgmWrites[0].ValueBefore);
        Assert.Equal("0", b.DcgmWrites[0].RestoreValue);
        await WaitPastAsync(LoadExpiries(settings, [a])[a]);

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var restartedClient = new AgentClient(restartedChannel);
        var heldForB = await DcgmGrpcTests.WaitForAsync(restartedClient, a, f => f.State == FaultState.Expired && f.DcgmWrites[0].RestoreState != ProtoRestoreState.Unspecified, "A expired and its write-back decided");
        Assert.Equal(ProtoRestoreState.Held, heldForB.DcgmWrites[0].RestoreState);
        Assert.Contains(b.FaultId, heldForB.DcgmWrites[0].RestoreDetail, StringComparison.Ordinal);
        Assert.Equal(48, dcgmi.Value(1, 230));
        Assert.Equal(1, await ClearRestartTests.ActiveGaugeAsync(restarted));

        var bCleared = await restartedClient.ClearFaultAsync(new ClearFaultRequest { FaultId = b.FaultId, Reason = "drill done" }, AgentApplicationFactory.Auth());
        _output.WriteLine($"A: {heldForB.DcgmWrites[0].RestoreDetail}; writes: {string.Join(", ", dcgmi.Writes.Select(w => w.Value))}");
        Assert.Equal(ProtoRestoreState.Restored, bCleared.DcgmWrites[0].RestoreState);
        Assert.Equal([79L, 48L, 0L], dcgmi.Writes.Select(w => w.Value));
        Assert.Equal(0, dcgmi.Value(1, 230));
        Assert.Empty((await restartedClient.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
        Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(restarted));
        await restarted.KillAsync();
        Assert.Empty(DcgmClearRestartTests.OpenLedgerEntries(settings));
    }

    [RootFact]
    public async Task Restart_TwoOverlappingDcgmFaultsOnOneFieldBothExpiredWhileTheAgentWasDead_TheValueBeforeBothWrittenBackOnce()
    {
        // A writes 79 into XID_ERRORS of GPU 0 for 10 s, B 48 into the same field for 11 s (its restore value: A's, 0). The
        // agent is SIGKILLed before either ends and restarted after both did: both end in its first expiry pass, and
        // the cell must take 0 once — one write-back covers both.
        var dcgmi = new StandInDcgmi(_host);
        var settings = DcgmClearRestartTests.Settings(_directory, _host, dcgmi, restoreRetry: "00:00:01");
        var injected = await InjectThenKillAsync(dcgmi, settings, [Request(1, 230, 79, TimeSpan.FromSeconds(10)), Request(1, 230, 48, TimeSpan.FromSeconds(11))]);
        var a = injected[0].FaultId;
        var b = injected[1].FaultId;

        var expiries = LoadExpiries(settings, [a, b]);
        await WaitPastAsync(expiries.Values.Max());

        await using (var restarted = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(restarted.GrpcAddress);
            var client = new AgentClient(channel);
            await Eventually.TrueAsync(
                async () => (await DcgmClearRestartTests.ListAsync(client)).All(f => f.State == FaultState.Expired && f.DcgmWrites.All(w => w.RestoreState is ProtoRestoreState.Restored or ProtoRestoreState.Held)),
                "both expired and their write-backs decided",
                Generous);
            var listed = await DcgmClearRestartTests.ListAsync(client);
            _output.WriteLine(string.Join("; ", listed.Select(f => $"{f.FaultId}: {f.DcgmWrites[0].RestoreState} ({f.DcgmWrites[0].RestoreDetail})")));
            Assert.All(listed, f => Assert.Equal(expiries[f.FaultId], f.EndedAt.ToDateTimeOffset()));
            Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(restarted));
            await restarted.KillAsync();
        }

        _output.WriteLine($"writes: {string.Join(", ", dcgmi.Writes.Select(w => w.Value))}");
        Assert.Equal([79L, 48L, 0L], dcgmi.Writes.Select(w => w.Value));
        Assert.Equal(0, dcgmi.Value(1, 230));
        Assert.Empty(DcgmClearRestartTests.OpenLedgerEntries(settings));
    }

    /// <summary>Starts the agent, injects <paramref name="requests"/> in order and SIGKILLs it (with any dcgmi it runs) while all are still active.</summary>
    private static async Task<List<Fault>> InjectThenKillAsync(StandInDcgmi dcgmi, Dictionary<string, string> settings, DcgmInjectFieldRequest[] requests)
    {
        var injected = new List<Fault>();
        await using var agent = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var client = new AgentClient(channel);
        foreach (var request in requests)
        {
            injected.Add((await client.InjectDcgmFieldAsync(request, AgentApplicationFactory.Auth())).Fault);
        }

        Assert.All(await DcgmClearRestartTests.ListAsync(client), f => Assert.Equal(FaultState.Active, f.State)); // killed before any expired
        await DcgmClearRestartTests.KillWithItsDcgmiAsync(agent, dcgmi);
        return injected;
    }

    /// <summary>A DCGM field injection on Device Minor <c>1 - dcgmGpu</c> (the stand-in numbers the GPUs the other way round).</summary>
    private static DcgmInjectFieldRequest Request(int dcgmGpu, int field, long value, TimeSpan? duration)
    {
        var request = new DcgmInjectFieldRequest { Field = field.ToString(CultureInfo.InvariantCulture), Value = value.ToString(CultureInfo.InvariantCulture), GpuId = 1 - dcgmGpu };
        if (duration is { } d)
        {
            request.Duration = Duration.FromTimeSpan(d);
        }

        return request;
    }

    /// <summary>Each fault's expiry as the journal the kill left holds it (read while the agent is dead).</summary>
    private static Dictionary<string, DateTimeOffset> LoadExpiries(Dictionary<string, string> settings, IReadOnlyCollection<string> ids)
    {
        using var journal = new FaultAgent.Registry.FaultJournal(settings["Agent:StateDirectory"], Microsoft.Extensions.Logging.Abstractions.NullLogger<FaultAgent.Registry.FaultJournal>.Instance);
        return journal.Load().Entries
            .Where(e => e.Fault is { ExpiresAt: not null } && ids.Contains(e.FaultId))
            .GroupBy(e => e.FaultId)
            .ToDictionary(g => g.Key, g => g.Last().Fault!.ExpiresAt!.Value, StringComparer.Ordinal);
    }

    /// <summary>Waits (on the wall clock the agent reads) until <paramref name="instant"/> has passed.</summary>
    private static async Task WaitPastAsync(DateTimeOffset instant)
    {
        var left = instant - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }
}
