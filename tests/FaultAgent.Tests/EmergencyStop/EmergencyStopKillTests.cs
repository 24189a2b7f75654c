using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Tests.Registry;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;
using FaultState = FaultInjection.Agent.V1.FaultState;

namespace FaultAgent.Tests.EmergencyStop;

/// <summary>
/// The real agent process engaging its emergency stop, whose end of every active fault is cut off: by a SIGKILL inside
/// the end-all of 3,200 faults (restarted on the same state directory), or by a journal that cannot be written (a
/// failing disk, <c>chattr +i</c>) — and the stop then released.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopKillTests : IDisposable
{
    private const string StoppedBy = "fault-api/redteam8";
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly string _runId = Guid.NewGuid().ToString("N")[..12];
    private readonly ITestOutputHelper _output;

    public EmergencyStopKillTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        _target.Dispose();
        _directory.Dispose();
    }

    [RootFact]
    public async Task Restart_SigkilledInsideTheStopsEndOfAllFaults_StopStillEngaged_EachFaultEndedOnceByTheStop_NoneInjectedAfter_NoneActiveOnceReleased()
    {
        // 8 clients inject 3,200 faults; the stop is engaged with the agent's threads at nice 19, the test watches the
        // journal from the push and SIGKILLs once about half the end-all's ends are in. An end-all that outruns the watch
        // (all ended before the SIGKILL) proves nothing: that attempt runs again on a fresh state directory, at most 3 times.
        const int Count = 3200; // 1,600 let the end-all outrun the watch in 2 of 3 attempts beside other classes' agents
        const int Attempts = 3;
        var common = ClearRestartTests.Settings(_directory, _target.Pid, "node-stop-kill"); // once: it writes the test's proc root
        Dictionary<string, string> settings = [];
        List<string> injected = [];
        Dictionary<string, int> atTheKill = [];
        var endedAtTheKill = 0;
        EmergencyStopState stop = null!;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            settings = new Dictionary<string, string>(common);
            settings["Agent:StateDirectory"] = Directory.CreateDirectory(_directory.Combine($"state-stop-{attempt}")).FullName;
            settings["Agent:Registry:MaxEndedRecords"] = "1000000";
            settings["Agent:Registry:CompactAfterEntries"] = "10000000"; // no compaction swaps the file the test watches
            injected = [];
            await using (var agent = await AgentProcess.StartAsync(settings))
            {
                using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
                var client = new AgentClient(channel);
                await Task.WhenAll(Enumerable.Range(0, 8).Select(stream => Task.Run(async () =>
                {
                    for (var i = 0; i < Count / 8; i++)
                    {
                        var fault = (await client.InjectXidAsync(Request((attempt * 100_000) + (stream * 1000) + i), AgentApplicationFactory.Auth())).Fault;
                        lock (injected)
                        {
                            injected.Add(fault.FaultId);
                        }
                    }
                })));

                var held = await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth());
                stop = State(engaged: true, held.Version + 1);
                var journalPath = Path.Combine(settings["Agent:StateDirectory"], FaultJournal.FileName);
                var before = new FileInfo(journalPath).Length;
                await agent.LowerPriorityAsync();
                var engage = client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = stop }, AgentApplicationFactory.Auth()).ResponseAsync;
                long grown;
                while ((grown = new FileInfo(journalPath).Length) == before && !engage.IsCompleted)
                {
                    Thread.SpinWait(64);
                }

                if (grown > before)
                {
                    var halfway = before + ((grown - before) / ClearRestartTests.EndLines(journalPath, before, grown) * (Count / 2));
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    while (new FileInfo(journalPath).Length < halfway && !engage.IsCompleted && watch.Elapsed < TimeSpan.FromMinutes(1))
                    {
                        Thread.SpinWait(64);
                    }
                }

                await agent.KillAsync();
                await engage.ContinueWith(_ => { }, TaskScheduler.Default);
                atTheKill = ClearRestartTests.EndCounts(settings);
            }

            endedAtTheKill = atTheKill.Values.Count(e => e > 0);
            _output.WriteLine($"attempt {attempt}: {endedAtTheKill} of {atTheKill.Count} ended in the journal at the SIGKILL");
            if (endedAtTheKill > 0 && endedAtTheKill < Count)
            {
                break;
            }
        }

        Assert.Equal(injected.Order(StringComparer.Ordinal), atTheKill.Keys.Order(StringComparer.Ordinal));
        Assert.True(endedAtTheKill > 0 && endedAtTheKill < Count, $"the SIGKILL did not land inside the end-all: {endedAtTheKill} of {Count} ended");
        Assert.All(atTheKill, f => Assert.True(f.Value <= 1, $"{f.Key} ended {f.Value} times in the journal"));

        await using (var restarted = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(restarted.GrpcAddress);
            var client = new AgentClient(channel);
            var held = await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth());
            Assert.True(held.Engaged, $"the restarted agent holds version {held.Version}, engaged {held.Engaged}");
            Assert.Equal(stop.Version, held.Version);
            await Eventually.TrueAsync(async () => (await ClearRestartTests.ListAllAsync(client)).All(f => f.State != FaultState.Active), "the restarted agent to end what the kill left active", TimeSpan.FromSeconds(60));
            var listed = await ClearRestartTests.ListAllAsync(client);
            Assert.Equal(injected.Order(StringComparer.Ordinal), listed.Select(f => f.FaultId).Order(StringComparer.Ordinal));
            Assert.All(listed, f =>
            {
                Assert.Equal(FaultState.Expired, f.State);
                Assert.Equal($"emergency stop by {StoppedBy}: sigkill {_runId}", f.EndedReason);
                Assert.Equal(StoppedBy, f.EndedBy);
            });
            Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
            Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(restarted));
            var events = (await ClearRestartTests.ListAuditAsync(client)).Where(e => e.FaultId.Length > 0 && e.Action is "expire" or "clear" or "stop" or "reboot").ToList(); // the stop's own events name no fault
            Assert.All(events, e => Assert.Equal("stop", e.Action));
            Assert.Equal(injected.Order(StringComparer.Ordinal), events.Select(e => e.FaultId).Order(StringComparer.Ordinal));

            // The stop still blocks: refused, nothing recorded.
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.InjectXidAsync(Request(99_999), AgentApplicationFactory.Auth()));
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
            Assert.Equal(Count, (await ClearRestartTests.ListAllAsync(client)).Count);

            // Released: nothing the stop ended comes back.
            var released = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = State(engaged: false, stop.Version + 1) }, AgentApplicationFactory.Auth());
            Assert.False(released.Engaged);
            Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
            Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(restarted));
            await restarted.KillAsync();
        }

        Assert.All(ClearRestartTests.EndCounts(settings), f => Assert.True(f.Value == 1, $"{f.Key} ended {f.Value} times in the journal"));
    }

    [RootFact]
    public async Task Release_WhileFaultsTheStopCouldNotEndAreActive_IsRefused_StopHeld_ThenOnceTheyEnded_ReleasedWithNoneActive()
    {
        // Two faults; the journal cannot be written (chattr +i) while the stop is engaged, so both stay active under it
        // (expiring_faults 2); the release pushed then must not leave them active for good.
        var settings = ClearRestartTests.Settings(_directory, _target.Pid, "node-stop-release");
        await using var agent = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var client = new AgentClient(channel);
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add((await client.InjectXidAsync(Request(i), AgentApplicationFactory.Auth())).Fault.FaultId);
        }

        var held = await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth());
        var stop = State(engaged: true, held.Version + 1);
        var release = State(engaged: false, stop.Version + 1);
        using (var journal = ImmutableFile.Make(Path.Combine(settings["Agent:StateDirectory"], FaultJournal.FileName)))
        {
            var engaged = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = stop }, AgentApplicationFactory.Auth());
            Assert.True(engaged.Engaged);
            Assert.Equal(2, engaged.ExpiringFaults);

            var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = release }, AgentApplicationFactory.Auth()));
            _output.WriteLine(refused.Status.Detail);
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Contains("2 faults", refused.Status.Detail, StringComparison.Ordinal);
            var still = await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth());
            Assert.True(still.Engaged);
            Assert.Equal(stop.Version, still.Version);
            var blocked = await Assert.ThrowsAsync<RpcException>(async () => await client.InjectXidAsync(Request(2), AgentApplicationFactory.Auth()));
            Assert.Equal(StatusCode.FailedPrecondition, blocked.StatusCode);
        }

        // The disk is back: the release pushed again ends what is left under the stop first, then releases.
        var released = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = release }, AgentApplicationFactory.Auth());
        Assert.False(released.Engaged);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
        Assert.All(await ClearRestartTests.ListAllAsync(client), f =>
        {
            Assert.Equal(FaultState.Expired, f.State);
            Assert.Equal($"emergency stop by {StoppedBy}: sigkill {_runId}", f.EndedReason);
        });
        Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(agent));
        await agent.KillAsync();
        Assert.All(ids, id => Assert.Equal(1, ClearRestartTests.EndCounts(settings)[id]));
    }

    private EmergencyStopState State(bool engaged, long version) => new()
    {
        Engaged = engaged,
        ChangedBy = StoppedBy,
        ChangedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        Reason = engaged ? $"sigkill {_runId}" : "all clear",
        Version = version,
    };

    private InjectXidRequest Request(int i) => new() { FaultId = $"stop-{_runId}-{i}", Xid = 13, GpuId = 0, Message = $"fault-injector stop kill test {_runId} #{i}" };
}
