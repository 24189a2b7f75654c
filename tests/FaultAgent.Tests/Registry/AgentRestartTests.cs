using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A real agent process writing the machine's real /dev/kmsg (inside a mount namespace the test owns) is SIGKILLed in the
/// middle of a burst of injections and restarted: its registry must then hold exactly the faults the kernel log shows.
/// The kernel log is read by a <see cref="KernelLogRecorder"/> started before the burst, not from the ring afterwards:
/// the ring keeps ~1,500 records here and other writers overwrote a burst's records before dmesg read them (CI under
/// load). When they also overwrote them before the agent restarted, the agent cannot prove an in-flight write and says
/// so (OUTCOME_UNKNOWN); the tests hold it to that, and pass with the log flooded at ~2,700 records/s from 8-write opens.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentRestartTests : IAsyncLifetime, IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly string _runId = Guid.NewGuid().ToString("N")[..12];
    private readonly ITestOutputHelper _output;
    private TargetNamespaceProcess? _target;

    public AgentRestartTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (_target is not null)
        {
            _target.Dispose();
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task Restart_AfterSigkillMidBurst_RegistryMatchesKernelLogExactly()
    {
        using var kernelLog = KernelLogRecorder.Start();
        var settings = Settings();
        var acknowledged = new List<string>();
        const int Rounds = 3;
        const int Streams = 4;
        for (var round = 0; round < Rounds; round++)
        {
            await using var agent = await AgentProcess.StartAsync(settings);
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);
            var firstOfRound = round * 10_000;
            var bursts = Enumerable.Range(0, Streams).Select(stream => Task.Run(async () =>
            {
                for (var i = firstOfRound + (stream * 1000); ; i++)
                {
                    try
                    {
                        await client.InjectXidAsync(Request(i), AgentApplicationFactory.Auth());
                        lock (acknowledged)
                        {
                            acknowledged.Add(Message(i));
                        }
                    }
                    catch (RpcException)
                    {
                        return;
                    }
                }
            })).ToList();
            var target = 8 * (round + 1);
            await Eventually.TrueAsync(() => Task.FromResult(Count(acknowledged) >= target), $"{target} acknowledged injections");

            await agent.KillAsync();
            await Task.WhenAll(bursts);
        }

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var restartedClient = new AgentClient(restartedChannel);
        var listed = (await restartedClient.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults
            .Where(f => f.Message.Contains(_runId, StringComparison.Ordinal))
            .ToList();
        var inKernel = KernelLogRecorder.Containing(kernelLog.Snapshot(), _runId).ToList();

        kernelLog.AssertNoneLost();
        Assert.Equal(inKernel.Count, inKernel.Distinct().Count());
        Assert.Equal(listed.Count, listed.Select(f => f.Message).Distinct().Count());
        var unknown = OutcomeUnknownAfterRingMovedOn(listed);
        Assert.All(unknown, f => Assert.DoesNotContain(f.Message, acknowledged));
        var unprovable = unknown.SelectMany(f => f.UnconfirmedRecords).Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
        var known = listed.Except(unknown).ToList();
        Assert.Equal(inKernel.Where(t => !unprovable.Contains(t)).Order(StringComparer.Ordinal), known.Select(f => f.Records.Single(r => r.Text.Contains(_runId, StringComparison.Ordinal)).Text).Order(StringComparer.Ordinal));
        Assert.Superset(acknowledged.ToHashSet(), listed.Select(f => f.Message).ToHashSet());
        Assert.All(known, f => Assert.Equal(FaultState.Active, f.State));

        // A retry of every request that landed, after the restart, writes nothing new; a retry of one whose outcome is
        // unknown is refused, saying so, and writes nothing either.
        foreach (var fault in known)
        {
            var retry = await restartedClient.InjectXidAsync(Request(int.Parse(fault.FaultId.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture)), AgentApplicationFactory.Auth());
            Assert.True(retry.Replayed);
        }

        foreach (var fault in unknown)
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await restartedClient.InjectXidAsync(Request(int.Parse(fault.FaultId.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture)), AgentApplicationFactory.Auth()));
            Assert.Equal(StatusCode.Unknown, refused.StatusCode);
            Assert.Contains($"The outcome of fault '{fault.FaultId}' is unknown", refused.Status.Detail, StringComparison.Ordinal);
        }

        _output.WriteLine($"{Count(acknowledged)} acknowledged, {listed.Count} recorded, {inKernel.Count} in the kernel log after {Rounds} SIGKILLs");

        Assert.Equal(inKernel.Count, KernelLogRecorder.Containing(kernelLog.Snapshot(), _runId).Count);
        kernelLog.AssertNoneLost();
    }

    [RootFact]
    public async Task Restart_AfterSigkillMidConcurrentBurst_EveryFaultHoldsTheKernelsSequenceAndTextAndInFlightOnesResolveExactly()
    {
        // 16 concurrent clients on one agent, SIGKILLed twice mid-burst. After each kill the journal tells which
        // injections were in flight (a pending entry, no recorded or abandoned one); after the restart every fault must
        // hold the kernel's own record at each sequence it names (read back from /dev/kmsg, not from the agent), every
        // record of the run must belong to exactly one fault, every acknowledged injection must be there, and an
        // in-flight one must be there exactly when its line is in the kernel log.
        using var kernelLog = KernelLogRecorder.Start();
        var settings = Settings();
        var acknowledged = new List<string>();
        var inFlight = new List<FaultAgent.Registry.FaultJournalEntry>();
        const int Rounds = 2;
        const int Streams = 16;
        for (var round = 0; round < Rounds; round++)
        {
            await using var agent = await AgentProcess.StartAsync(settings);
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);
            var firstOfRound = 100_000 + (round * 100_000);
            var bursts = Enumerable.Range(0, Streams).Select(stream => Task.Run(async () =>
            {
                for (var i = firstOfRound + (stream * 1000); ; i++)
                {
                    try
                    {
                        await client.InjectXidAsync(Request(i), AgentApplicationFactory.Auth());
                        lock (acknowledged)
                        {
                            acknowledged.Add(Message(i));
                        }
                    }
                    catch (RpcException)
                    {
                        return;
                    }
                }
            })).ToList();
            var target = 40 * (round + 1);
            await Eventually.TrueAsync(() => Task.FromResult(Count(acknowledged) >= target), $"{target} acknowledged injections");

            await agent.KillAsync();
            await Task.WhenAll(bursts);
            using var journal = new FaultAgent.Registry.FaultJournal(settings["Agent:StateDirectory"], Microsoft.Extensions.Logging.Abstractions.NullLogger<FaultAgent.Registry.FaultJournal>.Instance);
            var entries = journal.Load().Entries;
            var settled = entries.Where(e => e.Op is FaultAgent.Registry.FaultJournalOperation.Recorded or FaultAgent.Registry.FaultJournalOperation.Abandoned).Select(e => e.FaultId).ToHashSet();
            inFlight.AddRange(entries.Where(e => e.Op == FaultAgent.Registry.FaultJournalOperation.Pending && !settled.Contains(e.FaultId)));
        }

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var restartedClient = new AgentClient(restartedChannel);
        var listed = (await restartedClient.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults
            .Where(f => f.Message.Contains(_runId, StringComparison.Ordinal))
            .ToList();
        var kernel = kernelLog.Snapshot();
        kernelLog.AssertNoneLost();

        Assert.Superset(acknowledged.ToHashSet(), listed.Select(f => f.Message).ToHashSet());
        Assert.Equal(listed.Count, listed.Select(f => f.FaultId).Distinct().Count());
        var inFlightIds = inFlight.Select(p => p.FaultId).ToHashSet();
        var unknown = OutcomeUnknownAfterRingMovedOn(listed);
        Assert.All(unknown, f => Assert.Contains(f.FaultId, inFlightIds));
        var unprovable = unknown.SelectMany(f => f.UnconfirmedRecords).Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
        Assert.All(listed.Except(unknown), f =>
        {
            Assert.NotEmpty(f.Records);
            Assert.All(f.Records, r => Assert.Equal(kernel[r.Sequence], r.Text));
            Assert.True(f.State == FaultState.Active || inFlightIds.Contains(f.FaultId), $"{f.FaultId} is {f.State}");
        });
        var claimed = listed.SelectMany(f => f.Records).Select(r => r.Sequence).ToList();
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        var runSequences = kernel.Where(k => k.Value.Contains(_runId, StringComparison.Ordinal) && !unprovable.Contains(k.Value)).Select(k => k.Key).Order().ToList();
        Assert.Equal(runSequences, listed.SelectMany(f => f.Records).Where(r => r.Text.Contains(_runId, StringComparison.Ordinal)).Select(r => r.Sequence).Order().ToList());
        foreach (var pending in inFlight)
        {
            // Its Xid record (the last one) in the kernel log: recorded active with every record proven; not there:
            // not recorded, or recorded as partially written when an earlier record (the GPU's preamble) landed.
            var landed = kernel.Values.Contains(pending.Fault!.Records[^1].Text, StringComparer.Ordinal);
            var fault = listed.SingleOrDefault(f => f.FaultId == pending.FaultId);
            if (fault is { State: FaultState.OutcomeUnknown })
            {
                continue; // checked above: the ring had moved past its records when the agent restarted
            }

            if (landed)
            {
                Assert.NotNull(fault);
                Assert.Equal(FaultState.Active, fault.State);
                Assert.Equal(pending.Fault.Records.Count, fault.Records.Count);
            }
            else
            {
                Assert.True(fault is null || fault.State == FaultState.PartiallyWritten, $"{pending.FaultId} is {fault?.State}");
            }
        }

        _output.WriteLine($"{Count(acknowledged)} acknowledged, {listed.Count} recorded, {runSequences.Count} in the kernel log, {inFlight.Count} in flight at the kills ({inFlight.Count(p => listed.Any(f => f.FaultId == p.FaultId))} of them landed) after {Rounds} SIGKILLs");
    }

    [RootFact]
    public async Task Restart_SigkilledWithTheStopEngagedMidBurst_AndAgainRightAfterItsRestart_StopHoldsAndNothingIsActiveOrLost()
    {
        // 8 clients inject; the stop is engaged mid-burst while they go on (each refusal counted); the agent is SIGKILLed
        // under that, restarted, SIGKILLed again as soon as it is healthy, and restarted. The stop must hold (engaged, its
        // version), no request sent after the stop answered may have been acknowledged, every acknowledged fault must be
        // listed once and none active, and every kernel record of the run must belong to exactly one listed fault.
        using var kernelLog = KernelLogRecorder.Start();
        var settings = Settings();
        var acknowledged = new List<string>();
        var refused = 0;
        var sentAfterTheStop = 0;
        var acknowledgedAfterTheStop = new List<string>();
        long stopAnsweredAt = long.MaxValue;
        EmergencyStopState engaged;
        await using (var agent = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);
            var bursts = Enumerable.Range(0, 8).Select(stream => Task.Run(async () =>
            {
                for (var i = 300_000 + (stream * 1000); ; i++)
                {
                    var sentAfter = System.Diagnostics.Stopwatch.GetTimestamp() > Interlocked.Read(ref stopAnsweredAt);
                    if (sentAfter)
                    {
                        Interlocked.Increment(ref sentAfterTheStop);
                    }

                    try
                    {
                        await client.InjectXidAsync(Request(i), AgentApplicationFactory.Auth());
                        lock (acknowledged)
                        {
                            acknowledged.Add(Message(i));
                            if (sentAfter)
                            {
                                acknowledgedAfterTheStop.Add(Message(i));
                            }
                        }
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
                    {
                        Interlocked.Increment(ref refused);
                    }
                    catch (RpcException)
                    {
                        return;
                    }
                }
            })).ToList();
            await Eventually.TrueAsync(() => Task.FromResult(Count(acknowledged) >= 40), "40 acknowledged injections");
            var held = await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth());
            engaged = await client.SetEmergencyStopAsync(
                new SetEmergencyStopRequest { State = new EmergencyStopState { Engaged = true, ChangedBy = "fault-api/restart-test", ChangedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Reason = "engaged mid-burst", Version = held.Version + 1 } },
                AgentApplicationFactory.Auth());
            Interlocked.Exchange(ref stopAnsweredAt, System.Diagnostics.Stopwatch.GetTimestamp());
            await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref sentAfterTheStop) >= 200), "200 injections sent after the stop answered");

            await agent.KillAsync();
            await Task.WhenAll(bursts);
        }

        await using (var first = await AgentProcess.StartAsync(settings))
        {
            await first.KillAsync();
        }

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var restartedClient = new AgentClient(restartedChannel);
        var stop = await restartedClient.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth());
        var listed = (await restartedClient.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults
            .Where(f => f.Message.Contains(_runId, StringComparison.Ordinal))
            .ToList();
        var kernel = kernelLog.Snapshot();
        kernelLog.AssertNoneLost();
        _output.WriteLine($"{Count(acknowledged)} acknowledged, {refused} refused, {sentAfterTheStop} sent after the stop answered, {listed.Count} listed after two SIGKILLs");

        Assert.True(engaged.Engaged);
        Assert.True(stop.Engaged, $"the restarted agent holds version {stop.Version}, engaged {stop.Engaged}");
        Assert.Equal(engaged.Version, stop.Version);
        Assert.Empty(acknowledgedAfterTheStop);
        Assert.True(refused >= 200, $"{refused} refused");
        Assert.Equal(listed.Count, listed.Select(f => f.FaultId).Distinct().Count());
        Assert.Superset(acknowledged.ToHashSet(), listed.Select(f => f.Message).ToHashSet());
        Assert.DoesNotContain(listed, f => f.State == FaultState.Active);
        var unknown = OutcomeUnknownAfterRingMovedOn(listed);
        var unprovable = unknown.SelectMany(f => f.UnconfirmedRecords).Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
        Assert.All(listed.Except(unknown), f => Assert.All(f.Records, r => Assert.Equal(kernel[r.Sequence], r.Text)));
        var claimed = listed.SelectMany(f => f.Records).Where(r => r.Text.Contains(_runId, StringComparison.Ordinal)).Select(r => r.Sequence).ToList();
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        var runSequences = kernel.Where(k => k.Value.Contains(_runId, StringComparison.Ordinal) && !unprovable.Contains(k.Value)).Select(k => k.Key).Order().ToList();
        Assert.Equal(runSequences, claimed.Order().ToList());
    }

    [RootFact]
    public async Task Restart_AfterSigkillFollowingUnsyncedEntries_JournalKeepsThemAndRegistryListsThem()
    {
        // Only a pending entry is fsync'd; the recorded entry of the last injection and the ended entry of the clear are
        // written after the last fsync. A SIGKILL must not lose them: they are in the page cache, which outlives the process.
        var settings = Settings();
        var faultIds = new List<string>();
        await using (var agent = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);
            for (var i = 50_000; i < 50_004; i++)
            {
                faultIds.Add((await client.InjectXidAsync(Request(i), AgentApplicationFactory.Auth())).Fault.FaultId);
            }

            await client.ClearFaultAsync(new ClearFaultRequest { FaultId = faultIds[0], Reason = "unsynced clear" }, AgentApplicationFactory.Auth());
            await agent.KillAsync();
        }

        using (var journal = new FaultAgent.Registry.FaultJournal(settings["Agent:StateDirectory"], Microsoft.Extensions.Logging.Abstractions.NullLogger<FaultAgent.Registry.FaultJournal>.Instance))
        {
            var loaded = journal.Load();
            Assert.Equal(0, loaded.DamagedLines);
            Assert.False(loaded.TornTail);
            var recordedIds = loaded.Entries.Where(e => e.Op == FaultAgent.Registry.FaultJournalOperation.Recorded).Select(e => e.FaultId).ToHashSet();
            Assert.Superset(faultIds.ToHashSet(), recordedIds);
            Assert.Contains(loaded.Entries, e => e.Op == FaultAgent.Registry.FaultJournalOperation.Ended && e.FaultId == faultIds[0] && e.State == FaultAgent.Registry.FaultState.Cleared);
        }

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var restartedClient = new AgentClient(restartedChannel);
        var listed = (await restartedClient.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults
            .Where(f => f.Message.Contains(_runId, StringComparison.Ordinal))
            .ToDictionary(f => f.FaultId);
        Assert.Equal(faultIds.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(FaultState.Cleared, listed[faultIds[0]].State);
        Assert.EndsWith("unsynced clear", listed[faultIds[0]].EndedReason, StringComparison.Ordinal);
        Assert.All(faultIds.Skip(1), id => Assert.Equal(FaultState.Active, listed[id].State));
    }

    [RootFact]
    public async Task Restart_AfterSigkillWhileTheJournalCompactsInTheBackground_ListsEveryAcknowledgedChange()
    {
        // Every other fault is cleared and no ended record is kept, so the journal stays small and compacts in the
        // background every few dozen changes while two streams go on injecting and clearing (#14); the agent is killed
        // in the middle of that. Whatever step a compaction was at, the restarted agent lists every acknowledged
        // injection that was not cleared as active, and none whose clear was acknowledged.
        var settings = Settings();
        settings["Agent:Registry:CompactAfterEntries"] = "16";
        settings["Agent:Registry:MaxEndedRecords"] = "0";
        var active = new List<string>();
        var cleared = new List<string>();
        await using (var agent = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);
            var streams = Enumerable.Range(0, 2).Select(stream => Task.Run(async () =>
            {
                for (var i = 70_000 + (stream * 10_000); ; i++)
                {
                    try
                    {
                        var faultId = (await client.InjectXidAsync(Request(i), AgentApplicationFactory.Auth())).Fault.FaultId;
                        if (i % 2 == 0)
                        {
                            await client.ClearFaultAsync(new ClearFaultRequest { FaultId = faultId, Reason = "compaction restart test" }, AgentApplicationFactory.Auth());
                        }

                        var acknowledged = i % 2 == 0 ? cleared : active;
                        lock (acknowledged)
                        {
                            acknowledged.Add(faultId);
                        }
                    }
                    catch (RpcException)
                    {
                        return;
                    }
                }
            })).ToList();
            await Eventually.TrueAsync(() => Task.FromResult(Count(active) >= 150), "150 acknowledged injections left active");

            await agent.KillAsync();
            await Task.WhenAll(streams);
        }

        // Compacted while it ran: without a compaction the journal would hold 2 entries per injection and 2 per clear.
        var lines = File.ReadLines(Path.Combine(settings["Agent:StateDirectory"], FaultAgent.Registry.FaultJournal.FileName)).Count();
        Assert.True(lines < (2 * Count(active)) + (4 * Count(cleared)), $"{lines} journal lines for {Count(active)} active and {Count(cleared)} cleared faults: no compaction ran");

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var restartedClient = new AgentClient(restartedChannel);
        var listed = (await restartedClient.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults
            .Where(f => f.Message.Contains(_runId, StringComparison.Ordinal))
            .ToDictionary(f => f.FaultId);
        _output.WriteLine($"{Count(active)} active and {Count(cleared)} cleared acknowledged, {lines} journal lines at the kill, {listed.Count} listed after the restart");
        Assert.All(active, id => Assert.Equal(FaultState.Active, Assert.Contains(id, listed).State));
        Assert.All(cleared, id => Assert.False(listed.TryGetValue(id, out var fault) && fault.State == FaultState.Active, $"{id} was cleared, listed active"));
    }

    private static int Count(List<string> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private string Message(int i) => $"fault-injector restart test {_runId} #{i}";

    private InjectXidRequest Request(int i) => new() { FaultId = $"restart-{_runId}-{i}", Xid = 13, GpuId = 0, Message = Message(i), IdempotencyKey = $"{_runId}-{i}" };

    /// <summary>
    /// The faults the restarted agent could not resolve because other writers had pushed the kernel's ring past their
    /// records by then (it says so rather than guess: OUTCOME_UNKNOWN, the records as unconfirmed, the reason). On a quiet
    /// machine there are none; with the kernel log flooded (the other test assembly, a busy node) there can be.
    /// </summary>
    private static List<Fault> OutcomeUnknownAfterRingMovedOn(List<Fault> listed)
    {
        var unknown = listed.Where(f => f.State == FaultState.OutcomeUnknown).ToList();
        Assert.All(unknown, f =>
        {
            Assert.Empty(f.Records);
            Assert.NotEmpty(f.UnconfirmedRecords);
            Assert.Contains("no longer held the records", f.WriteError, StringComparison.Ordinal);
        });
        return unknown;
    }

    private Dictionary<string, string> Settings()
    {
        var procRoot = _directory.Combine("proc");
        var gpuDirectory = Path.Combine(procRoot, "driver", "nvidia", "gpus", "0000:3b:00.0");
        Directory.CreateDirectory(gpuDirectory);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "gpu-information-h100.txt"), Path.Combine(gpuDirectory, "information"));
        Directory.CreateDirectory(Path.Combine(procRoot, "sys", "kernel", "random"));
        File.Copy("/proc/sys/kernel/random/boot_id", Path.Combine(procRoot, "sys", "kernel", "random", "boot_id"));
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        return new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-restart",
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = _target!.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = _directory.Combine("state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),

            // The bursts inject as fast as they can until the SIGKILL: raise the node's limits out of their way.
            ["Agent:Limits:InjectionsPerSecond"] = "1000000",
            ["Agent:Limits:InjectionBurst"] = "1000000",
            ["Agent:Limits:MaxActiveFaults"] = "1000000",
        };
    }
}
