using System.Globalization;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A pending journal entry whose abandon could not be saved must not claim, at the next start, the kernel record of a
/// later injection with an identical line. P1 is refused KERNEL_LOG_RECORD_LOST (nothing of it in the kernel log) while
/// the journal takes no write (made immutable, <see cref="ImmutableFile"/>, right after P1's pending entry was journaled:
/// its abandon fails and P1 stays pending in the file); the journal is writable again and the caller's retry P2 (same
/// GPU, Xid and line) is written and recorded; the agent is restarted on the same state directory and kernel log. The
/// restart resolves still-pending entries by reading the kernel log from the sequence each was about to be written at,
/// with no upper bound and no regard for records a recorded entry holds: before the fix P1 found P2's record and came
/// back active beside P2 (two faults, the gauge and MaxActiveFaults counting 2), and with P2 itself still pending at the
/// restart (its record's save failed too) P1 took P2's one record and P2 was dropped. In the first two tests the agent
/// (in memory, restarted as a new host) and its journal are real and the kernel log is the test-only in-memory one,
/// which keeps across the restart and drops P1's record on demand; the third runs a real agent process on the
/// machine's /dev/kmsg, SIGKILLed and restarted, with the kernel's drop made by a file bound over /dev/kmsg for one
/// writer. The agent does reach that state: a failed abandon leaves the journal usable, and the next injection's
/// pending entry is saved once the journal takes writes again. The same claim by another way in: a pending entry a
/// start could not resolve (the kernel log unreadable then) is kept, and at a later start it must not take the record
/// of an injection made in between.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class RecoveryPendingClaimTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task Restart_AbandonOfARefusedInjectionNotSaved_RetryWithTheSameLineRecorded_OnlyTheRetryIsActiveWithItsOwnRecords()
    {
        var kernelLog = new InMemoryKernelLog();
        var state = _directory.Combine("state");
        Fault retried;
        await using (var agent = await StartAsync(kernelLog, state))
        {
            await RefusedWithItsAbandonUnsavedAsync(agent, kernelLog, state);

            retried = (await agent.CreateGrpcClient().InjectXidAsync(Request("p2"), AgentApplicationFactory.Auth())).Fault;
        }

        // P2 wrote exactly the lines P1 had planned, and they are the last records of the kernel log.
        var planned = Journal(state).First(e => e.FaultId == "p1" && e.Op == FaultJournalOperation.Pending).Fault!.Records.Select(r => r.Text);
        Assert.Equal(planned, retried.Records.Select(r => r.Text));
        Assert.Equal(retried.Records.Select(r => (r.Sequence, r.Text)), kernelLog.Records.Where(r => r.Sequence >= retried.Records[0].Sequence).Select(r => (r.Sequence, r.Text)));

        await using var restarted = await StartAsync(kernelLog, state, maxActiveFaults: 2);
        await AssertOnlyTheRetryIsOpenAsync(restarted, retried);
    }

    [RootFact]
    public async Task Restart_AbandonNotSaved_RetryWrittenButItsRecordNotSavedEither_TheRetryGetsTheRecordNotTheRefusedOne()
    {
        var kernelLog = new InMemoryKernelLog();
        var state = _directory.Combine("state");
        Fault retried;
        await using (var agent = await StartAsync(kernelLog, state))
        {
            await RefusedWithItsAbandonUnsavedAsync(agent, kernelLog, state);

            retried = await RetriedWithItsRecordUnsavedAsync(agent, kernelLog, state);

            var entries = Journal(state).Where(e => e.FaultId == "p2").Select(e => e.Op).ToList();
            Assert.Equal([FaultJournalOperation.Pending], entries);
        }

        await using var restarted = await StartAsync(kernelLog, state, maxActiveFaults: 2);
        await AssertOnlyTheRetryIsOpenAsync(restarted, retried);
    }

    /// <summary>
    /// A pending entry the start could not resolve (the kernel log unreadable then) is kept; the next start must not give
    /// it the record of an injection made in between. P1 is refused with its abandon unsaved and the agent stops before
    /// any later injection saves it (P1 pending in the file, nothing of it in the kernel log); the next start cannot read
    /// the kernel log, so P1 stays pending across its compaction; in that life the retry P2 (same line) is written and
    /// recorded; the start after it reads the log from P1's sequence on.
    /// </summary>
    [RootFact]
    public async Task Restart_PendingLeftUnresolvedByAStartThatCouldNotReadTheKernelLog_RetryWithTheSameLineRecordedInThatLife_OnlyTheRetryIsActive()
    {
        var kernelLog = new InMemoryKernelLog();
        var state = _directory.Combine("state");
        Fault retried;
        await using (var agent = await StartKeepingAnUnresolvedPendingAsync(kernelLog, state))
        {
            retried = (await agent.CreateGrpcClient().InjectXidAsync(Request("p2"), AgentApplicationFactory.Auth())).Fault;
        }

        Assert.Equal(FaultJournalOperation.Pending, Journal(state).Last(e => e.FaultId == "p1").Op);
        await using var restarted = await StartAsync(kernelLog, state, maxActiveFaults: 2);
        await AssertOnlyTheRetryIsOpenAsync(restarted, retried);
    }

    /// <summary>As above, with P2's record not saved either: at the last start P1 and P2 are both pending with one record for them.</summary>
    [RootFact]
    public async Task Restart_PendingLeftUnresolvedByAStartThatCouldNotReadTheKernelLog_RetryPendingToo_TheRetryGetsTheRecordNotTheKeptOne()
    {
        var kernelLog = new InMemoryKernelLog();
        var state = _directory.Combine("state");
        Fault retried;
        await using (var agent = await StartKeepingAnUnresolvedPendingAsync(kernelLog, state))
        {
            retried = await RetriedWithItsRecordUnsavedAsync(agent, kernelLog, state);
        }

        var kept = Journal(state).Last(e => e.FaultId == "p1");
        var retry = Journal(state).Last(e => e.FaultId == "p2");
        Assert.Equal(FaultJournalOperation.Pending, kept.Op);
        Assert.Equal(FaultJournalOperation.Pending, retry.Op);
        Assert.Equal(retry.FromSequence, kept.BeforeSequence);
        await using var restarted = await StartAsync(kernelLog, state, maxActiveFaults: 2);
        await AssertOnlyTheRetryIsOpenAsync(restarted, retried);
    }

    /// <summary>
    /// The same on a REAL agent process and the machine's /dev/kmsg, SIGKILLed and restarted. The kernel's drop is a
    /// regular file bound over /dev/kmsg in the target mount namespace (as <c>BlastRadiusNothingRecordedTests</c>): the
    /// agent's reader, opened at its first write, stays the real log, so one writer opened while the file is bound takes
    /// P1's record with write() and the record never appears. The agent opens its writers ahead (four, each taking at
    /// most <see cref="DevKmsgKernelLog.RecordsPerWriteHandle"/> records): the file is bound only while the background
    /// refill after the call that first takes a writer from that stock opens ONE writer, and single-record injections
    /// then use up the real writers before it, so P1 is the first record through the file's writer. That writer would
    /// take seven more records, so after P1 the file is made immutable: the next injection (X, another line) fails its
    /// write() (EPERM), is refused and abandoned, and the agent closes that writer; the retry P2 goes through a real
    /// one. P1's abandon is not saved (the journal immutable from its pending entry to its refusal); X's batch is the
    /// next successful journal write.
    /// </summary>
    [RootFact]
    public async Task Restart_RealAgentSigkilled_KernelDroppedTheRecordAndItsAbandonNotSaved_RetryRecorded_OnlyTheRetryIsActive()
    {
        using var target = new TargetNamespaceProcess();
        var dropping = _directory.Combine("kmsg-dropping");
        await File.WriteAllTextAsync(dropping, "");
        var settings = RealAgentSettings(target);
        var journalPath = Path.Combine(settings["Agent:StateDirectory"], FaultJournal.FileName);
        Fault retried;
        var warmups = 0;
        await using (var agent = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);

            // The first write opens the reader and one writer; the refill after it opens four ahead.
            var onWriter = (await client.InjectXidAsync(Warmup(warmups++), AgentApplicationFactory.Auth())).Fault.Records.Count;
            await KmsgDescriptorsSettledAsync(agent.Pid);
            while (onWriter < DevKmsgKernelLog.RecordsPerWriteHandle)
            {
                onWriter += (await client.InjectXidAsync(Warmup(warmups++), AgentApplicationFactory.Auth())).Fault.Records.Count;
            }

            Assert.Equal(DevKmsgKernelLog.RecordsPerWriteHandle, onWriter);
            target.RunInside("mount", "--bind", dropping, "/dev/kmsg");
            try
            {
                Assert.Single((await client.InjectXidAsync(Warmup(warmups++), AgentApplicationFactory.Auth())).Fault.Records);
                await KmsgDescriptorsSettledAsync(agent.Pid);
            }
            finally
            {
                target.RunInside("umount", "--lazy", "/dev/kmsg"); // the agent holds the file open
            }

            for (var left = DevKmsgKernelLog.RecordsPerWriteHandle - 1 + (3 * DevKmsgKernelLog.RecordsPerWriteHandle); left > 0; left--)
            {
                Assert.Single((await client.InjectXidAsync(Warmup(warmups++), AgentApplicationFactory.Auth())).Fault.Records);
            }

            Assert.Equal("", await File.ReadAllTextAsync(dropping));

            // P1: through the file's writer; the journal immutable from its pending entry until its refusal.
            var p1 = client.InjectXidAsync(Request("p1"), AgentApplicationFactory.Auth()).ResponseAsync;
            await Eventually.TrueAsync(async () => p1.IsCompleted || (await File.ReadAllTextAsync(journalPath)).Contains("\"p1\"", StringComparison.Ordinal), "p1's pending entry");
            RpcException refused;
            using (ImmutableFile.Make(journalPath))
            {
                refused = await Assert.ThrowsAsync<RpcException>(() => p1);
            }

            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Equal("KERNEL_LOG_RECORD_LOST", refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
            var planned = Journal(settings["Agent:StateDirectory"]).Last(e => e.FaultId == "p1");
            Assert.Equal(FaultJournalOperation.Pending, planned.Op);
            Assert.Contains(planned.Fault!.Records[0].Text, await File.ReadAllTextAsync(dropping), StringComparison.Ordinal);

            // X: the file's writer fails (EPERM) and is closed; refused, nothing of it written.
            using (ImmutableFile.Make(dropping))
            {
                var failed = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(Warmup(-1, "x"), AgentApplicationFactory.Auth()).ResponseAsync);
                Assert.NotEqual(StatusCode.OK, failed.StatusCode);
            }

            retried = (await client.InjectXidAsync(Request("p2"), AgentApplicationFactory.Auth())).Fault;
            Assert.Equal(planned.Fault.Records.Select(r => r.Text), retried.Records.Select(r => r.Text));
            await agent.KillAsync();
        }

        var open = warmups + 1;
        var restartSettings = new Dictionary<string, string>(settings) { ["Agent:Limits:MaxActiveFaults"] = (open + 1).ToString(CultureInfo.InvariantCulture) };
        await using var restarted = await AgentProcess.StartAsync(restartSettings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var restartedClient = new AgentClient(restartedChannel);
        var listed = (await restartedClient.ListFaultsAsync(new ListFaultsRequest { PageSize = 1000 }, AgentApplicationFactory.Auth())).Faults;
        Assert.Equal(open, listed.Count);
        Assert.DoesNotContain(listed, f => f.FaultId is "p1" or "x");
        var only = Assert.Single(listed, f => f.FaultId == "p2");
        Assert.Equal(retried.Records.Select(r => (r.Sequence, r.Text)), only.Records.Select(r => (r.Sequence, r.Text)));
        using (var http = new HttpClient { BaseAddress = restarted.HttpAddress })
        {
            Assert.Equal(open, GaugeValue(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))));
        }

        _ = await restartedClient.InjectXidAsync(Warmup(-2, "after"), AgentApplicationFactory.Auth());
        var limited = await Assert.ThrowsAsync<RpcException>(() => restartedClient.InjectXidAsync(Warmup(-3, "refused"), AgentApplicationFactory.Auth()).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.Contains($"The node already holds {(open + 1).ToString(CultureInfo.InvariantCulture)} open faults", limited.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// P1 ("p1", Xid 79 on GPU 0) refused KERNEL_LOG_RECORD_LOST with nothing of it in the kernel log, the journal immutable
    /// from right after P1's pending entry until the refusal: P1's abandon is not saved (the journal's last word on P1 is
    /// its pending entry).
    /// </summary>
    private static async Task RefusedWithItsAbandonUnsavedAsync(AgentApplicationFactory agent, InMemoryKernelLog kernelLog, string state)
    {
        var recordsBefore = kernelLog.Records.Count;
        ImmutableFile? journal = null;
        kernelLog.FailNextWrite = new KernelLogRecordLostException("the kernel did not keep the record");
        kernelLog.AfterPendingJournaled = () => journal = ImmutableFile.Make(Path.Combine(state, FaultJournal.FileName));
        RpcException refused;
        try
        {
            refused = await Assert.ThrowsAsync<RpcException>(() => agent.CreateGrpcClient().InjectXidAsync(Request("p1"), AgentApplicationFactory.Auth()).ResponseAsync);
        }
        finally
        {
            kernelLog.AfterPendingJournaled = null;
            journal?.Dispose();
        }

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal("KERNEL_LOG_RECORD_LOST", refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(recordsBefore, kernelLog.Records.Count);
        Assert.Equal(FaultJournalOperation.Pending, Journal(state).Last(e => e.FaultId == "p1").Op);
    }

    /// <summary>
    /// The retry P2 written, its record's save failing (logged, not thrown: the caller is answered OK): in the journal P2
    /// is pending as it would be after a SIGKILL between its write and its record.
    /// </summary>
    private static async Task<Fault> RetriedWithItsRecordUnsavedAsync(AgentApplicationFactory agent, InMemoryKernelLog kernelLog, string state)
    {
        ImmutableFile? journal = null;
        kernelLog.AfterPendingJournaled = () => journal = ImmutableFile.Make(Path.Combine(state, FaultJournal.FileName));
        try
        {
            return (await agent.CreateGrpcClient().InjectXidAsync(Request("p2"), AgentApplicationFactory.Auth())).Fault;
        }
        finally
        {
            kernelLog.AfterPendingJournaled = null;
            journal?.Dispose();
        }
    }

    /// <summary>
    /// P1 refused with its abandon unsaved and the agent stopped before any later injection saved it; then an agent started
    /// while the kernel log cannot be read (<see cref="InMemoryKernelLog.FailReads"/>): it keeps P1 pending (its journal
    /// compacted at the start) and is returned running, the kernel log readable again.
    /// </summary>
    private static async Task<AgentApplicationFactory> StartKeepingAnUnresolvedPendingAsync(InMemoryKernelLog kernelLog, string state)
    {
        await using (var agent = await StartAsync(kernelLog, state))
        {
            // GPU 0's first-Xid preamble printed first (and that fault cleared): P1's lines are then the ones its retry
            // writes. (A pending entry a start could not resolve counts as having printed its preamble, so with P1 the
            // first Xid its retry would write no preamble and P1's first line would not be found.)
            var client = agent.CreateGrpcClient();
            _ = await client.InjectXidAsync(Warmup(0), AgentApplicationFactory.Auth());
            _ = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = "w0" }, AgentApplicationFactory.Auth());
            await RefusedWithItsAbandonUnsavedAsync(agent, kernelLog, state);
        }

        Assert.Equal(FaultJournalOperation.Pending, Journal(state).Last(e => e.FaultId == "p1").Op);
        kernelLog.FailReads = new KernelLogUnavailableException("/dev/kmsg cannot be read");
        var unreadable = await StartAsync(kernelLog, state);
        try
        {
            Assert.Empty((await unreadable.CreateGrpcClient().ListFaultsAsync(new ListFaultsRequest { PageSize = 100, ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
        }
        catch
        {
            await unreadable.DisposeAsync();
            throw;
        }
        finally
        {
            kernelLog.FailReads = null;
        }

        Assert.Equal(FaultJournalOperation.Pending, Assert.Single(Journal(state), e => e.FaultId == "p1").Op);
        return unreadable;
    }

    /// <summary>
    /// After the restart: the retry P2 is the one open fault (listed active only: a test may have cleared an earlier one),
    /// with its own record; P1 is unknown; the list, the
    /// <c>fault_agent_faults_active</c> gauge and <c>MaxActiveFaults</c> 2 (one more accepted, the next refused naming 2)
    /// agree.
    /// </summary>
    private static async Task AssertOnlyTheRetryIsOpenAsync(AgentApplicationFactory restarted, Fault retried)
    {
        var client = restarted.CreateGrpcClient();
        var listed = (await client.ListFaultsAsync(new ListFaultsRequest { PageSize = 100, ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults;
        var only = Assert.Single(listed);
        Assert.Equal("p2", only.FaultId);
        Assert.Equal(FaultInjection.Agent.V1.FaultState.Active, only.State);
        Assert.Equal(retried.Records.Select(r => (r.Sequence, r.Text)), only.Records.Select(r => (r.Sequence, r.Text)));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.GetFaultAsync(new GetFaultRequest { FaultId = "p1" }, AgentApplicationFactory.Auth()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(1, await ActiveGaugeAsync(restarted));

        _ = await client.InjectXidAsync(Request("p3", gpuId: 1), AgentApplicationFactory.Auth());
        var limited = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(Request("p4", gpuId: 1), AgentApplicationFactory.Auth()).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.Contains("The node already holds 2 open faults", limited.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>A single-record injection (Xid 13, after GPU 0's first-Xid preamble) with a line of its own.</summary>
    private static InjectXidRequest Warmup(int index, string? faultId = null) =>
        new() { FaultId = faultId ?? $"w{index.ToString(CultureInfo.InvariantCulture)}", Xid = 13, GpuId = 0, ProcessName = "warmup", Pid = 5000 + index };

    /// <summary>
    /// Waits until the agent holds its /dev/kmsg descriptors as after a refill: the reader, the current writer and four
    /// opened ahead (the refill runs in the background after a call takes from them).
    /// </summary>
    private static Task KmsgDescriptorsSettledAsync(int agentPid) =>
        Eventually.TrueAsync(() => Task.FromResult(KmsgDescriptors(agentPid) == 6), "the agent's /dev/kmsg descriptors: the reader, the writer and four ahead");

    private static int KmsgDescriptors(int agentPid)
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFiles($"/proc/{agentPid.ToString(CultureInfo.InvariantCulture)}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget?.Contains("kmsg", StringComparison.Ordinal) == true)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Closed meanwhile.
            }
        }

        return count;
    }

    private Dictionary<string, string> RealAgentSettings(TargetNamespaceProcess target)
    {
        var procRoot = TestProcRoot.Create(_directory.Path);
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        return new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-pendingclaim",
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = target.Pid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = _directory.Combine("agent-state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),
        };
    }

    private static InjectXidRequest Request(string faultId, int gpuId = 0) =>
        new() { FaultId = faultId, Xid = 79, GpuId = gpuId, ProcessName = "pendingclaim", Pid = 4242 };

    private static List<FaultJournalEntry> Journal(string state) =>
        [.. new FaultJournal(state, NullLogger<FaultJournal>.Instance).Load().Entries];

    private static async Task<int> ActiveGaugeAsync(AgentApplicationFactory factory)
    {
        using var http = factory.CreateHttpClient();
        return GaugeValue(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
    }

    private static int GaugeValue(string scrape)
    {
        var line = scrape.Split('\n').Single(l => l.StartsWith("fault_agent_faults_active{", StringComparison.Ordinal) || l.StartsWith("fault_agent_faults_active ", StringComparison.Ordinal));
        return int.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>An agent host on <paramref name="state"/> and <paramref name="kernelLog"/>, started; disposing it is the agent's stop.</summary>
    private static Task<AgentApplicationFactory> StartAsync(InMemoryKernelLog kernelLog, string state, int? maxActiveFaults = null)
    {
        var settings = new Dictionary<string, string?> { ["Agent:StateDirectory"] = state };
        if (maxActiveFaults is { } max)
        {
            settings["Agent:Limits:MaxActiveFaults"] = max.ToString(CultureInfo.InvariantCulture);
        }

        var factory = new AgentApplicationFactory(Environment.ProcessId, settings, s => FakeAgentParts.UseInMemoryKernelLog(s, kernelLog));
        _ = factory.CreateGrpcClient();
        return Task.FromResult(factory);
    }
}
