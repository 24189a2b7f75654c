using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// The registry's write-ahead protocol against the real kernel log (the machine's /dev/kmsg entered through a mount
/// namespace the test owns): a pending entry whose record is in /dev/kmsg is recorded with the kernel's proof, one
/// whose record never landed is dropped.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultRegistryKernelLogTests : IDisposable
{
    private readonly TargetNamespaceProcess _target = new();
    private readonly HostMountNamespace _namespace;
    private readonly DevKmsgKernelLog _kernelLog;
    private readonly TestDirectory _directory = new();
    private readonly string _marker = "r" + Guid.NewGuid().ToString("N")[..12];

    public FaultRegistryKernelLogTests()
    {
        _namespace = new HostMountNamespace(_target.Pid);
        _kernelLog = new DevKmsgKernelLog(_namespace, TimeProvider.System);
    }

    public void Dispose()
    {
        _kernelLog.Dispose();
        _namespace.Dispose();
        _target.Dispose();
        _directory.Dispose();
    }

    [RootFact]
    public async Task Initialize_PendingWrittenBeforeKill_RecordedWithRealProofAndMissingOneDropped()
    {
        var bootId = (await File.ReadAllTextAsync("/proc/sys/kernel/random/boot_id")).Trim();
        var landed = Pending("landed", $"NVRM: NVRM: Xid (PCI:0000:3b:00): 13, pid='<unknown>', name={_marker}, landed", bootId);
        var lost = Pending("lost", $"NVRM: NVRM: Xid (PCI:0000:3b:00): 13, pid='<unknown>', name={_marker}, never written", bootId);
        var from = await _kernelLog.GetNextSequenceAsync(CancellationToken.None);
        var written = await _kernelLog.WriteVerifiedAsync([new KernelLogLine(4, landed.Records[0].Text)], CancellationToken.None);
        File.WriteAllBytes(
            Path.Combine(_directory.Path, FaultJournal.FileName),
            [
                .. FaultJournal.Serialize(new FaultJournalEntry { Op = FaultJournalOperation.Pending, FaultId = "landed", Fault = landed, FromSequence = from }),
                .. FaultJournal.Serialize(new FaultJournalEntry { Op = FaultJournalOperation.Pending, FaultId = "lost", Fault = lost, FromSequence = from }),
            ]);

        using var registry = new FaultRegistry(
            new KernelLogPendingResolver(_kernelLog, TimeProvider.System),
            new ProcBootIdSource(Options.Create(new AgentOptions { NodeName = "n", ProcRoot = "/proc" })),
            TimeProvider.System,
            Options.Create(new AgentOptions { NodeName = "n", StateDirectory = _directory.Path }),
            Options.Create(new FaultRegistryOptions()),
            NullLoggerFactory.Instance);
        await registry.InitializeAsync(CancellationToken.None);

        var fault = Assert.Single(await registry.ListAsync(activeOnly: false, CancellationToken.None));
        Assert.Equal("landed", fault.FaultId);
        var proof = Assert.Single(fault.Records);
        Assert.Equal(written[0].Sequence, proof.Sequence);
        Assert.Equal(written[0].TimestampMicroseconds, proof.TimestampMicroseconds);
    }

    [RootFact]
    public async Task WriteAsync_TargetNamespaceHidesTheStateDirectory_EveryPendingEntryLandsInTheAgentsJournal()
    {
        // The pending entry is journaled on the namespace thread (one crossing per injection). There the state
        // directory's path names another directory: the target has a tmpfs over it. Entries must reach the agent's
        // file, also after a compaction replaced it (the journal's descriptor is opened before the crossing).
        _target.RunInside("mount", "-t", "tmpfs", "tmpfs", _directory.Path);
        var options = new FaultRegistryOptions { CompactAfterEntries = 16 };
        using var registry = new FaultRegistry(
            new KernelLogPendingResolver(_kernelLog, TimeProvider.System),
            new ProcBootIdSource(Options.Create(new AgentOptions { NodeName = "n", ProcRoot = "/proc" })),
            TimeProvider.System,
            Options.Create(new AgentOptions { NodeName = "n", StateDirectory = _directory.Path }),
            Options.Create(options),
            NullLoggerFactory.Instance);
        await registry.InitializeAsync(CancellationToken.None);
        var pipeline = new InjectionPipeline(registry, _kernelLog, TimeProvider.System, NullLogger<InjectionPipeline>.Instance);
        var pendingIds = new List<string>();

        for (var i = 0; i < 20; i++)
        {
            var text = $"NVRM: NVRM: Xid (PCI:0000:3b:00): 13, pid='<unknown>', name={_marker}, n={i}";
            var registration = await pipeline.WriteAsync(Pending("f-" + i, text, ""), [new KernelLogLine(4, text)], CancellationToken.None);
            Assert.Equal(FaultWriteOutcome.Verified, registration.Fault.WriteOutcome);
            var journal = new FaultJournal(_directory.Path, NullLogger<FaultJournal>.Instance).Load().Entries;
            if (journal.Any(e => e.Op == FaultJournalOperation.Pending && e.FaultId == "f-" + i))
            {
                pendingIds.Add("f-" + i);
            }
        }

        // Every injection's pending entry was in the agent's journal right after it (or compacted into a record), and
        // the file the namespace thread would see by path was never created.
        Assert.Equal(20, (await registry.ListAsync(activeOnly: false, CancellationToken.None)).Count);
        var final = new FaultJournal(_directory.Path, NullLogger<FaultJournal>.Instance).Load().Entries;
        Assert.All(Enumerable.Range(0, 20), i => Assert.Contains(final, e => e.FaultId == "f-" + i && e.Fault?.Records[0].Sequence > 0));
        // (The 8th injection's record makes 16 entries: that compaction folds its pending entry into the record.)
        Assert.True(pendingIds.Count >= 19, $"pending entries seen in the agent's journal: {pendingIds.Count} of 20");
        Assert.Equal("", _target.RunInside("ls", "-A", _directory.Path).Trim());
    }

    private static FaultRecord Pending(string faultId, string text, string bootId) => new()
    {
        FaultId = faultId,
        NodeName = "n",
        Kind = FaultKind.Xid,
        Code = 13,
        FaultType = "gpu_xid_13",
        Line = text["NVRM: ".Length..],
        Records = [new FaultKernelRecord(text, 4, 1, 0, 0, null)],
        InjectedAt = DateTimeOffset.UtcNow,
        BootId = bootId,
        RequestFingerprint = faultId,
    };
}
