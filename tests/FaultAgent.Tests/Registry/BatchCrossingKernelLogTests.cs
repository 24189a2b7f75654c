using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// One batch, one batch write, against the real kernel log (the machine's /dev/kmsg entered through a mount namespace
/// the test owns): a batch's members are written in one call of <see cref="IKernelLog.WriteVerifiedBatchAsync"/> until
/// one is not fully written; that member is recorded (partially written) or abandoned before the next batch write writes
/// anything after it, and every member gets the answer it would get written alone. The failure is made real: after the
/// log's write descriptor was opened on /dev/kmsg, /dev/null is bound over /dev/kmsg in the target's namespace, so the
/// descriptor opened for the 9th record (<see cref="DevKmsgKernelLog.RecordsPerWriteHandle"/> = 8) takes writes that
/// never reach the kernel. The log opens no writers ahead here (<see cref="DevKmsgKernelLog.WritersOpenedAhead"/> = 0),
/// so that descriptor is opened, in the target's namespace, when the batch that needs it starts, after the bind.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BatchCrossingKernelLogTests : IDisposable
{
    private readonly TargetNamespaceProcess _target = new();
    private readonly HostMountNamespace _namespace;
    private readonly DevKmsgKernelLog _kernelLog;
    private readonly ObservedKernelLog _observed;
    private readonly TestDirectory _directory = new();
    private readonly string _marker = "b" + Guid.NewGuid().ToString("N")[..12];
    private readonly KernelLogRecorder _recorder = KernelLogRecorder.Start();
    private bool _nullBound;

    public BatchCrossingKernelLogTests()
    {
        _namespace = new HostMountNamespace(_target.Pid);
        _kernelLog = new DevKmsgKernelLog(_namespace, TimeProvider.System) { VerifyTimeout = TimeSpan.FromMilliseconds(300), WritersOpenedAhead = 0 };
        _observed = new ObservedKernelLog(_kernelLog);
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _kernelLog.Dispose();
        _namespace.Dispose();
        _target.Dispose();
        _directory.Dispose();
    }

    [RootFact]
    public async Task WriteAsync_MemberPartiallyWrittenOnTheBatchsCrossing_RecordedBeforeTheLaterMemberIsWrittenAlone()
    {
        // Records 1 (warm-up) and 2 (x) open the writer; b 3-4, c 5-7, d 8 land; d's second record is the 9th: /dev/null.
        var run = await RunBatchAsync([2, 3, 2, 1]);

        var b = await run.Members[0];
        var c = await run.Members[1];
        Assert.Equal(FaultWriteOutcome.Verified, b.Fault.WriteOutcome);
        Assert.Equal(FaultWriteOutcome.Verified, c.Fault.WriteOutcome);
        var d = await Assert.ThrowsAsync<InjectionOutcomeException>(() => run.Members[2]);
        Assert.True(d.Fault.State == FaultState.PartiallyWritten, $"d is {d.Fault.State}: {d.Fault.WriteError}"); // under a flood of other writers, the gap the agent's reader met
        Assert.Single(d.Fault.Records);
        Assert.Single(d.Fault.UnconfirmedRecords);
        var e = await Assert.ThrowsAsync<KernelLogRecordLostException>(() => run.Members[3]);
        Assert.Contains("e-1", e.Message, StringComparison.Ordinal);

        // X's batch write, then ONE batch write that wrote b, c and d and stopped at d, then e's own, which began only
        // after d was recorded as partially written.
        Assert.Equal(run.BatchesBefore + 3, _observed.Batches);
        Assert.Equal(FaultState.PartiallyWritten, Assert.Single(run.JournalAtLastBatch, j => j.Op == FaultJournalOperation.Recorded && j.FaultId == "d").Fault!.State);
        Assert.DoesNotContain(run.JournalAtLastBatch, j => j.FaultId == "e" && j.Op != FaultJournalOperation.Pending);
        Assert.Contains(Journal(), j => j.Op == FaultJournalOperation.Abandoned && j.FaultId == "e");

        // The kernel holds exactly the records that landed, in batch order, at the sequences the agent proved.
        var texts = await OurRecordsAsync(run.From);
        Assert.Equal(["warm-1", "x-1", "b-1", "b-2", "c-1", "c-2", "c-3", "d-1"], texts.Select(t => t.Name));
        Assert.Equal([.. b.Fault.Records.Select(r => r.Sequence), .. c.Fault.Records.Select(r => r.Sequence), d.Fault.Records[0].Sequence],
            texts.Skip(2).Select(t => t.Sequence));

        // A restart sees the same: every member's record where it was left, nothing of e.
        using var restarted = await StartRegistryAsync();
        var faults = (await restarted.ListAsync(activeOnly: false, CancellationToken.None)).ToDictionary(f => f.FaultId);
        Assert.Equal(["b", "c", "d", "x"], faults.Keys.Order());
        Assert.Equal(FaultState.PartiallyWritten, faults["d"].State);
        Assert.Equal(FaultWriteOutcome.Verified, faults["c"].WriteOutcome);
    }

    [RootFact]
    public async Task WriteAsync_MembersFirstRecordLostOnTheBatchsCrossing_AbandonedBeforeTheLaterMemberIsWrittenAlone()
    {
        // b 3-5 and c 6-8 land; d's only record is the 9th: /dev/null, lost.
        var run = await RunBatchAsync([3, 3, 1, 1]);

        Assert.Equal(FaultWriteOutcome.Verified, (await run.Members[0]).Fault.WriteOutcome);
        Assert.Equal(FaultWriteOutcome.Verified, (await run.Members[1]).Fault.WriteOutcome);
        var d = await Assert.ThrowsAsync<KernelLogRecordLostException>(() => run.Members[2]);
        Assert.Contains("d-1", d.Message, StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<KernelLogRecordLostException>(() => run.Members[3]);
        Assert.Contains("e-1", e.Message, StringComparison.Ordinal);

        Assert.Equal(run.BatchesBefore + 3, _observed.Batches);
        Assert.Contains(run.JournalAtLastBatch, j => j.Op == FaultJournalOperation.Abandoned && j.FaultId == "d");
        Assert.DoesNotContain(run.JournalAtLastBatch, j => j.FaultId == "e" && j.Op != FaultJournalOperation.Pending);

        var texts = await OurRecordsAsync(run.From);
        Assert.Equal(["warm-1", "x-1", "b-1", "b-2", "b-3", "c-1", "c-2", "c-3"], texts.Select(t => t.Name));
        using var restarted = await StartRegistryAsync();
        Assert.Equal(["b", "c", "x"], (await restarted.ListAsync(activeOnly: false, CancellationToken.None)).Select(f => f.FaultId).Order());
    }

    /// <summary>
    /// Writes one record (the log's writer opens on /dev/kmsg), binds /dev/null over /dev/kmsg in the target, then holds
    /// x's batch write (x leads a batch of its own) while b, c, d, e (with <paramref name="lineCounts"/> records each)
    /// queue behind it, so they are one batch; releases it and waits for every member's answer.
    /// </summary>
    private async Task<BatchRun> RunBatchAsync(int[] lineCounts)
    {
        using var registry = await StartRegistryAsync();
        var pipeline = new InjectionPipeline(registry, _observed, TimeProvider.System, NullLogger<InjectionPipeline>.Instance);
        var from = await _kernelLog.GetNextSequenceAsync(CancellationToken.None);
        await _kernelLog.WriteVerifiedAsync([Line("warm", 1)], CancellationToken.None);
        _target.RunInside("mount", "--bind", "/dev/null", "/dev/kmsg");
        _nullBound = true;

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batchesBefore = _observed.Batches;
        IReadOnlyList<FaultJournalEntry> atLastBatch = [];
        _observed.BeforeBatch = n =>
        {
            if (n == batchesBefore + 3)
            {
                atLastBatch = Journal();
            }

            return n == batchesBefore + 1 ? release.Task.WaitAsync(TimeSpan.FromSeconds(60)) : Task.CompletedTask;
        };
        var x = pipeline.WriteAsync(Planned("x", 1), [Line("x", 1)], CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(_observed.Batches == batchesBefore + 1), "x's batch write held");
        var members = lineCounts.Select((count, i) =>
        {
            var id = ((char)('b' + i)).ToString();
            return pipeline.WriteAsync(Planned(id, count), [.. Enumerable.Range(1, count).Select(n => Line(id, n))], CancellationToken.None);
        }).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(pipeline.Queued == lineCounts.Length), "b-e queued behind x's batch");

        release.SetResult();
        Assert.Equal(FaultWriteOutcome.Verified, (await x).Fault.WriteOutcome);
        await Task.WhenAll(members.Select(m => m.ContinueWith(_ => { }, TaskScheduler.Default)));
        _observed.BeforeBatch = null;
        return new BatchRun(members, batchesBefore, from, atLastBatch);
    }

    /// <summary>This test's records in the kernel log from <paramref name="from"/> on, read with /dev/kmsg visible again.</summary>
    /// <summary>
    /// This test's records from <paramref name="from"/> on, as the recorder started with the test read them: not the
    /// ring afterwards, which other writers on the machine overwrite (at ~2,800 records/s from a benchmark beside it the
    /// ring no longer held warm-1 when read after the batch).
    /// </summary>
    private Task<List<(string Name, ulong Sequence)>> OurRecordsAsync(ulong from)
    {
        UnbindNull();
        var records = _recorder.Snapshot();
        _recorder.AssertNoneLost();
        return Task.FromResult<List<(string Name, ulong Sequence)>>([.. records
            .Where(r => r.Key >= from && r.Value.Contains(_marker, StringComparison.Ordinal))
            .OrderBy(r => r.Key)
            .Select(r => (r.Value[(r.Value.LastIndexOf(' ') + 1)..], r.Key))]);
    }

    private void UnbindNull()
    {
        if (_nullBound)
        {
            // Lazily: the log's writer still holds /dev/null open (its descriptor stays on it; new opens get /dev/kmsg).
            _target.RunInside("umount", "-l", "/dev/kmsg");
            _nullBound = false;
        }
    }

    private async Task<FaultRegistry> StartRegistryAsync()
    {
        UnbindNull();
        var registry = new FaultRegistry(
            new KernelLogPendingResolver(_kernelLog, TimeProvider.System),
            new ProcBootIdSource(Options.Create(new AgentOptions { NodeName = "n", ProcRoot = "/proc" })),
            TimeProvider.System,
            Options.Create(new AgentOptions { NodeName = "n", StateDirectory = _directory.Path }),
            Options.Create(new FaultRegistryOptions()),
            NullLoggerFactory.Instance);
        await registry.InitializeAsync(CancellationToken.None);
        return registry;
    }

    private List<FaultJournalEntry> Journal()
    {
        using var journal = new FaultJournal(_directory.Path, NullLogger<FaultJournal>.Instance);
        return [.. journal.Load().Entries];
    }

    private KernelLogLine Line(string id, int n) => new(4, Text(id, n));

    private string Text(string id, int n) => $"NVRM: NVRM: Xid (PCI:0000:3b:00): 13, pid='<unknown>', name={_marker}, {id}-{n}";

    private FaultRecord Planned(string faultId, int lines) => new()
    {
        FaultId = faultId,
        NodeName = "n",
        Kind = FaultKind.Xid,
        Code = 13,
        FaultType = "gpu_xid_13",
        Line = Text(faultId, 1)["NVRM: ".Length..],
        Records = [.. Enumerable.Range(1, lines).Select(n => new FaultKernelRecord(Text(faultId, n), 4, 1, 0, 0, null))],
        InjectedAt = DateTimeOffset.UtcNow,
        BootId = "",
        RequestFingerprint = faultId,
    };

    private sealed record BatchRun(List<Task<FaultRegistration>> Members, int BatchesBefore, ulong From, IReadOnlyList<FaultJournalEntry> JournalAtLastBatch);
}
