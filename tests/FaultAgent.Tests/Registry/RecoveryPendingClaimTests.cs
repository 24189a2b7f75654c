using System.Globalization;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
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
/// restart (its record's save failed too) P1 took P2's one record and P2 was dropped. The agent (in memory, restarted
/// as a new host) and its journal are real; the kernel log is the test-only in-memory one, which keeps across the
/// restart and drops P1's record on demand, which the machine's /dev/kmsg does not.
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

            // P2 is written, and its record's save fails (logged, not thrown: the caller is answered OK): in the journal P2
            // is pending as it would be after a SIGKILL between its write and its record.
            ImmutableFile? journal = null;
            kernelLog.AfterPendingJournaled = () => journal = ImmutableFile.Make(Path.Combine(state, FaultJournal.FileName));
            try
            {
                retried = (await agent.CreateGrpcClient().InjectXidAsync(Request("p2"), AgentApplicationFactory.Auth())).Fault;
            }
            finally
            {
                kernelLog.AfterPendingJournaled = null;
                journal?.Dispose();
            }

            var entries = Journal(state).Where(e => e.FaultId == "p2").Select(e => e.Op).ToList();
            Assert.Equal([FaultJournalOperation.Pending], entries);
        }

        await using var restarted = await StartAsync(kernelLog, state, maxActiveFaults: 2);
        await AssertOnlyTheRetryIsOpenAsync(restarted, retried);
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
    /// After the restart: the retry P2 is the one open fault, with its own record; P1 is unknown; the list, the
    /// <c>fault_agent_faults_active</c> gauge and <c>MaxActiveFaults</c> 2 (one more accepted, the next refused naming 2)
    /// agree.
    /// </summary>
    private static async Task AssertOnlyTheRetryIsOpenAsync(AgentApplicationFactory restarted, Fault retried)
    {
        var client = restarted.CreateGrpcClient();
        var listed = (await client.ListFaultsAsync(new ListFaultsRequest { PageSize = 100 }, AgentApplicationFactory.Auth())).Faults;
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

    private static InjectXidRequest Request(string faultId, int gpuId = 0) =>
        new() { FaultId = faultId, Xid = 79, GpuId = gpuId, ProcessName = "pendingclaim", Pid = 4242 };

    private static List<FaultJournalEntry> Journal(string state) =>
        [.. new FaultJournal(state, NullLogger<FaultJournal>.Instance).Load().Entries];

    private static async Task<int> ActiveGaugeAsync(AgentApplicationFactory factory)
    {
        using var http = factory.CreateHttpClient();
        var scrape = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
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
