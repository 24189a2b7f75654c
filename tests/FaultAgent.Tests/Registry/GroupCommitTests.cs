using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FaultAgent.Injection;
using FaultAgent.Metrics;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// Group commit: injections that queue while a batch is written share the next batch's one fsync of their pending
/// entries; a journal that refuses a batch leaves nothing of any member in the kernel log; a restart assigns the kernel's
/// records to a batch's pending entries in batch order, also when their lines are identical.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private const int Concurrent = 8;
    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task WriteAsync_ConcurrentInjectionsQueuedBehindABatch_ShareOneFsyncAndAreWrittenInBatchOrder()
    {
        var registry = await _context.StartAsync();
        var pipeline = _context.Pipeline(registry);
        var fsyncsBefore = registry.JournalFsyncs;
        var writes = 0;
        _context.KernelLog.BeforeWrite = async () =>
        {
            if (Interlocked.Increment(ref writes) == 1)
            {
                await Eventually.TrueAsync(() => Task.FromResult(pipeline.Queued == Concurrent - 1), "the others queued behind the first batch");
            }
        };

        var planned = Enumerable.Range(0, Concurrent).Select(i => _context.Planned("f-" + i, $"NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. n={i}")).ToList();
        var first = pipeline.WriteAsync(planned[0], RegistryTestContext.Lines(planned[0]), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref writes) == 1), "the first batch's write");
        var rest = planned.Skip(1).Select(p => pipeline.WriteAsync(p, RegistryTestContext.Lines(p), CancellationToken.None)).ToList();
        var registrations = await Task.WhenAll([first, .. rest]);

        Assert.All(registrations, r => Assert.Equal(FaultWriteOutcome.Verified, r.Fault.WriteOutcome));
        var fsyncs = registry.JournalFsyncs - fsyncsBefore;
        Assert.True(fsyncs < Concurrent, $"{Concurrent} concurrent injections took {fsyncs} fsyncs");
        Assert.Equal(2, fsyncs);

        // The second batch's pending entries share the sequence it started at, numbered in the order their records were written.
        var pending = new FaultJournal(_context.Directory.Path, Microsoft.Extensions.Logging.Abstractions.NullLogger<FaultJournal>.Instance)
            .Load().Entries.Where(e => e.Op == FaultJournalOperation.Pending && e.FaultId != registrations[0].Fault.FaultId).ToList();
        Assert.Equal(Concurrent - 1, pending.Count);
        Assert.Single(pending.Select(e => e.FromSequence).Distinct());
        var bySequence = registrations.Skip(1).OrderBy(r => r.Fault.Records[0].Sequence).Select(r => r.Fault.FaultId).ToList();
        Assert.Equal(bySequence, pending.OrderBy(e => e.BatchIndex).Select(e => e.FaultId).ToList());
    }

    [Fact]
    public async Task WriteAsync_ConcurrentInjectionsQueuedBehindABatch_MetricsCountEachGroupCommitAndItsFsync()
    {
        var registry = await _context.StartAsync();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var metrics = new AgentMetrics(meterFactory, registry);
        var batchSizes = new ConcurrentQueue<int>();
        long fsyncsObserved = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Name is "fault_agent.injection.batch.size" or "fault_agent.journal.fsyncs")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => batchSizes.Enqueue(value));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Interlocked.Exchange(ref fsyncsObserved, value));
        listener.Start();
        var pipeline = _context.Pipeline(registry, metrics: metrics);
        var writes = 0;
        _context.KernelLog.BeforeWrite = async () =>
        {
            if (Interlocked.Increment(ref writes) == 1)
            {
                await Eventually.TrueAsync(() => Task.FromResult(pipeline.Queued == Concurrent - 1), "the others queued behind the first batch");
            }
        };

        var planned = Enumerable.Range(0, Concurrent).Select(i => _context.Planned("m-" + i, $"NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. m={i}")).ToList();
        var first = pipeline.WriteAsync(planned[0], RegistryTestContext.Lines(planned[0]), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref writes) == 1), "the first batch's write");
        var rest = planned.Skip(1).Select(p => pipeline.WriteAsync(p, RegistryTestContext.Lines(p), CancellationToken.None)).ToList();
        await Task.WhenAll([first, .. rest]);
        listener.RecordObservableInstruments();

        // The first injection alone, then the seven that queued behind it: two group commits, one fsync each.
        Assert.Equal([1, Concurrent - 1], batchSizes);
        Assert.Equal(2, registry.JournalFsyncs);
        Assert.Equal(registry.JournalFsyncs, Interlocked.Read(ref fsyncsObserved));
    }

    [RootFact]
    [Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
    public async Task WriteAsync_JournalRefusesABatch_NothingOfAnyMemberIsWrittenAndEachGetsTheError()
    {
        using var smallDisk = SmallDisk.MountOver(_context.Directory.Path);
        var registry = await _context.StartAsync();
        var pipeline = _context.Pipeline(registry);
        var writes = 0;
        var queuedBehind = new TaskCompletionSource();
        _context.KernelLog.BeforeWrite = async () =>
        {
            switch (Interlocked.Increment(ref writes))
            {
                case 1:
                    await queuedBehind.Task;
                    break;
                case 2:
                    // The second batch's first crossing, before its pending entries are journaled: the disk is full.
                    smallDisk.Fill();
                    break;
                default:
                    break;
            }
        };

        var planned = Enumerable.Range(0, Concurrent).Select(i => _context.Planned("j-" + i, $"NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. j={i}")).ToList();
        var first = pipeline.WriteAsync(planned[0], RegistryTestContext.Lines(planned[0]), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref writes) == 1), "the first batch's write");
        var rest = planned.Skip(1).Select(p => pipeline.WriteAsync(p, RegistryTestContext.Lines(p), CancellationToken.None)).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(pipeline.Queued == Concurrent - 1), "the others queued behind the first batch");
        queuedBehind.SetResult();

        Assert.Equal(FaultWriteOutcome.Verified, (await first).Fault.WriteOutcome);
        foreach (var member in rest)
        {
            var error = await Assert.ThrowsAsync<FaultRegistryStorageException>(() => member);
            Assert.Contains("Nothing was injected", error.Message, StringComparison.Ordinal);
        }

        Assert.Single(_context.KernelLog.Records);
        var faults = await registry.ListAsync(activeOnly: false, CancellationToken.None);
        Assert.Equal(["j-0"], faults.Select(f => f.FaultId));

        // Room again: the next injection goes through, and a restart finds nothing of the refused batch.
        smallDisk.Empty();
        var after = _context.Planned("after", "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. after");
        Assert.Equal(FaultWriteOutcome.Verified, (await pipeline.WriteAsync(after, RegistryTestContext.Lines(after), CancellationToken.None)).Fault.WriteOutcome);
        var restarted = await _context.StartAsync();
        Assert.Equal(["after", "j-0"], (await restarted.ListAsync(activeOnly: false, CancellationToken.None)).Select(f => f.FaultId).Order());
        Assert.Equal(2, _context.KernelLog.Records.Count);
    }

    [Fact]
    public async Task Initialize_BatchOfIdenticalLinesKilledMidWrite_RecordsAssignedInBatchOrder()
    {
        // Three members with the same line journaled as one batch; the agent was killed after the second was written.
        const string Text = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.";
        var from = await _context.KernelLog.GetNextSequenceAsync(CancellationToken.None);
        var members = "abc".Select(id => id.ToString()).Select(id => _context.Planned(id, Text) with { BootId = "boot-1", State = FaultState.Active }).ToList();
        var journal = new List<byte>();
        for (var i = 0; i < members.Count; i++)
        {
            journal.AddRange(FaultJournal.Serialize(new FaultJournalEntry { Op = FaultJournalOperation.Pending, FaultId = members[i].FaultId, Fault = members[i], FromSequence = from, BatchIndex = i }));
        }

        await File.WriteAllBytesAsync(_context.JournalPath, [.. journal]);
        var a = _context.KernelLog.Append(3, Text);
        _context.KernelLog.Append(4, "some other driver's line");
        var b = _context.KernelLog.Append(3, Text);

        var restarted = await _context.StartAsync();
        var faults = (await restarted.ListAsync(activeOnly: false, CancellationToken.None)).ToDictionary(f => f.FaultId);
        Assert.Equal(a.Sequence, Assert.Single(faults["a"].Records).Sequence);
        Assert.Equal(b.Sequence, Assert.Single(faults["b"].Records).Sequence);
        Assert.False(faults.ContainsKey("c"));
    }

    /// <summary>A 1 MiB tmpfs over a directory, that can be filled to the last byte and emptied.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private readonly string _path;

        private SmallDisk(string path) => _path = path;

        private string FillerPath => Path.Combine(_path, "filler");

        public static SmallDisk MountOver(string path)
        {
            Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", path);
            return new SmallDisk(path);
        }

        public void Fill()
        {
            using var filler = new FileStream(FillerPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
            var block = new byte[4096];
            try
            {
                while (true)
                {
                    filler.Write(block);
                    filler.Flush();
                }
            }
            catch (IOException)
            {
                // Full.
            }
        }

        public void Empty() => File.Delete(FillerPath);

        public void Dispose() => Run("umount", "-l", _path);

        private static void Run(string file, params string[] args)
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {process.StandardError.ReadToEnd()}");
            }
        }
    }
}
