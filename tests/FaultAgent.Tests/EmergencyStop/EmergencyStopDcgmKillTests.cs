using System.Globalization;
using FaultAgent.Tests.Dcgm;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Tests.Registry;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;
using Eventually = FaultAgent.Tests.Infrastructure.Eventually;
using FaultState = FaultInjection.Agent.V1.FaultState;
using ProtoRestoreState = FaultInjection.Agent.V1.DcgmRestoreState;

namespace FaultAgent.Tests.EmergencyStop;

/// <summary>
/// The real agent's emergency stop engaged with many active DCGM-surface faults (22 cells, four of them carrying a
/// second fault), SIGKILLed while the write-backs the stop's end-all set off are under way, and restarted on the same
/// state directory: the stand-in dcgmi (a busy hostengine, every answer slowed) records every value the hostengine took,
/// and the test holds a write-back's <c>test --inject</c> once about half of the cells were taken back, then kills the
/// agent with that dcgmi — before it stored anything, as a container's kill takes its whole cgroup.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopDcgmKillTests : IClassFixture<HostNamespaceFixture>, IDisposable
{
    private const string StoppedBy = "fault-api/redteam9";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly HostNamespaceFixture _host;
    private readonly TestDirectory _directory = new();
    private readonly string _runId = Guid.NewGuid().ToString("N")[..12];
    private readonly ITestOutputHelper _output;

    public EmergencyStopDcgmKillTests(HostNamespaceFixture host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
    }

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task Restart_SigkilledInsideTheStopsDcgmWriteBacks_StopStillEngaged_EachValueWrittenBackOnce_LedgerSettled_NoneInjectedAfter_NoneBackOnceReleased()
    {
        // Every cell of 11 fields on both GPUs holds 3 before its fault (26 faults: four cells get a second one, whose
        // restore value is the first's, 3). The stop ends all 26 in the journal; the restore pass then writes the cells
        // back one by one (discovery, inject, read-back, each answered after 0.3 s). A pass that outruns the hold (every
        // cell written back before the kill) proves nothing: that attempt runs again on a fresh state directory and a
        // fresh hostengine, at most 3 times.
        const int Attempts = 3;
        const long Before = 3;
        Dictionary<string, string> settings = [];
        StandInDcgmi dcgmi = null!;
        List<(int Gpu, int Field, long[] Values)> cells = [];
        List<string> ids = [];
        EmergencyStopState stop = null!;
        int writtenBackAtTheKill = 0;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            dcgmi = new StandInDcgmi(_host);
            cells = DcgmCells.Fill(dcgmi, Before, i => i % 7 == 0 ? 2 : 1);
            settings = DcgmClearRestartTests.Settings(_directory, _host, dcgmi, restoreRetry: "00:00:01");
            settings["Agent:StateDirectory"] = Directory.CreateDirectory(_directory.Combine($"state-dcgm-stop-{attempt}")).FullName;
            ids = [];
            var injections = 0;
            var held = false;
            await using (var agent = await AgentProcess.StartAsync(settings))
            {
                using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
                var client = new AgentClient(channel);
                foreach (var (gpu, field, values) in cells)
                {
                    foreach (var value in values)
                    {
                        ids.Add((await client.InjectDcgmFieldAsync(Request(gpu, field, value), AgentApplicationFactory.Auth())).Fault.FaultId);
                        injections++;
                    }
                }

                Assert.Equal(injections, dcgmi.Writes.Count);
                dcgmi.SetAnswerDelay(0.3);
                var version = (await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth())).Version;
                stop = State(engaged: true, version + 1);
                var engaged = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = stop }, AgentApplicationFactory.Auth());
                Assert.True(engaged.Engaged);

                // Watch the hostengine's record: once about half the cells took their value back, hold the next write-back.
                await Eventually.TrueAsync(() => Task.FromResult(dcgmi.Writes.Count - injections >= cells.Count / 2), "half the cells written back", Generous);
                dcgmi.HoldInjections();
                await Eventually.TrueAsync(() => Task.FromResult(dcgmi.InjectionHeld || dcgmi.Writes.Count - injections == cells.Count), "a write-back held, or all of them done", Generous);
                held = dcgmi.InjectionHeld;
                await DcgmClearRestartTests.KillWithItsDcgmiAsync(agent, dcgmi);
            }

            writtenBackAtTheKill = dcgmi.Writes.Count - injections;
            _output.WriteLine($"attempt {attempt}: {writtenBackAtTheKill} of {cells.Count} cells written back at the SIGKILL (a write-back held: {held})");
            dcgmi.ReleaseInjections();
            dcgmi.SetAnswerDelay(0);
            if (held && writtenBackAtTheKill < cells.Count)
            {
                break;
            }
        }

        Assert.True(writtenBackAtTheKill > 0 && writtenBackAtTheKill < cells.Count, $"the SIGKILL did not land inside the write-backs: {writtenBackAtTheKill} of {cells.Count} written back");
        var atTheKill = ClearRestartTests.EndCounts(settings);
        Assert.Equal(ids.Order(StringComparer.Ordinal), atTheKill.Keys.Order(StringComparer.Ordinal));
        Assert.All(atTheKill, f => Assert.True(f.Value == 1, $"{f.Key} ended {f.Value} times in the journal at the kill"));

        await using (var restarted = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(restarted.GrpcAddress);
            var client = new AgentClient(channel);
            var held = await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth());
            Assert.True(held.Engaged, $"the restarted agent holds version {held.Version}, engaged {held.Engaged}");
            Assert.Equal(stop.Version, held.Version);
            await Eventually.TrueAsync(
                async () => (await DcgmClearRestartTests.ListAsync(client)).All(f => f.DcgmWrites.All(w => w.RestoreState is ProtoRestoreState.Restored or ProtoRestoreState.Held)),
                "every value written back by the restarted agent",
                Generous);
            var listed = await DcgmClearRestartTests.ListAsync(client);
            _output.WriteLine(string.Join("; ", listed.Select(f => $"{f.FaultId}: {f.DcgmWrites[0].RestoreState} ({f.DcgmWrites[0].RestoreDetail})")));
            Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(f => f.FaultId).Order(StringComparer.Ordinal));
            Assert.All(listed, f =>
            {
                Assert.Equal(FaultState.Expired, f.State);
                Assert.Equal($"emergency stop by {StoppedBy}: dcgm sigkill {_runId}", f.EndedReason);
            });
            Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
            Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(restarted));

            // The stop still blocks: refused, nothing written to DCGM.
            var writes = dcgmi.Writes.Count;
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.InjectDcgmFieldAsync(Request(1, 230, 79), AgentApplicationFactory.Auth()));
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
            Assert.Equal(writes, dcgmi.Writes.Count);

            // Released: nothing the stop ended comes back, in the registry or in DCGM.
            var released = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = State(engaged: false, stop.Version + 1) }, AgentApplicationFactory.Auth());
            Assert.False(released.Engaged);
            Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
            Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(restarted));
            Assert.Equal(ids.Count, (await DcgmClearRestartTests.ListAsync(client)).Count);
            Assert.Equal(writes, dcgmi.Writes.Count);
            await restarted.KillAsync();
        }

        DcgmCells.AssertEachWrittenBackOnce(dcgmi, cells, Before);

        Assert.Empty(DcgmClearRestartTests.OpenLedgerEntries(settings));
        Assert.All(ClearRestartTests.EndCounts(settings), f => Assert.True(f.Value == 1, $"{f.Key} ended {f.Value} times in the journal"));
    }

    /// <summary>A DCGM field injection on Device Minor <c>1 - dcgmGpu</c> (the stand-in numbers the GPUs the other way round).</summary>
    private static DcgmInjectFieldRequest Request(int dcgmGpu, int field, long value) =>
        new() { Field = field.ToString(CultureInfo.InvariantCulture), Value = value.ToString(CultureInfo.InvariantCulture), GpuId = 1 - dcgmGpu };

    private EmergencyStopState State(bool engaged, long version) => new()
    {
        Engaged = engaged,
        ChangedBy = StoppedBy,
        ChangedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        Reason = engaged ? $"dcgm sigkill {_runId}" : "all clear",
        Version = version,
    };
}
