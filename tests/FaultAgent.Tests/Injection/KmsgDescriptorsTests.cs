using System.Globalization;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Injection;

/// <summary>
/// The kernel log's descriptors, opened in the target's mount namespace and used from the caller's thread, against the
/// real kernel log: the device is a node of the real /dev/kmsg (char 1:11) that exists ONLY in the target's namespace
/// (on a tmpfs mounted there), so a descriptor opened anywhere else would fail with ENOENT, and /proc/self/fd names this
/// test's descriptors by that node's unique path.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class KmsgDescriptorsTests : IDisposable
{
    private readonly TargetNamespaceProcess _target = new();
    private readonly HostMountNamespace _namespace;
    private readonly ObservedHostNamespace _observed;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fa-kmsgns-" + Guid.NewGuid().ToString("N"));
    private readonly string _marker = "k" + Guid.NewGuid().ToString("N")[..12];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the writes: dmesg afterwards may have lost them to other writers

    public KmsgDescriptorsTests()
    {
        Directory.CreateDirectory(_directory);
        _target.RunInside("mount", "-t", "tmpfs", "tmpfs", _directory);
        _target.RunInside("mknod", Device, "c", "1", "11");
        _namespace = new HostMountNamespace(_target.Pid);
        _observed = new ObservedHostNamespace(_namespace);
    }

    private string Device => Path.Combine(_directory, "kmsg");

    public void Dispose()
    {
        _namespace.Dispose();
        try
        {
            // Undo the test's own mount where it made it, before the target goes.
            _target.RunInside("umount", _directory);
        }
        catch (InvalidOperationException)
        {
            // Already gone with a failed setup: nothing to undo.
        }

        _target.Dispose();
        try
        {
            Directory.Delete(_directory);
        }
        catch (IOException)
        {
            // Seen twice in CI (EBUSY: the directory a mount point in this process's namespace too; cause not found, the
            // target is private by then): detach it here as well, so no tmpfs outlives the test, then remove it.
            using (var umount = System.Diagnostics.Process.Start("umount", ["-l", _directory]))
            {
                umount.WaitForExit();
            }

            Directory.Delete(_directory);
        }
        finally
        {
            _kernelLog.Dispose();
        }
    }

    [RootFact]
    public async Task WriteVerifiedAsync_TwentyRecordsWhileTheNamespaceThreadIsHeld_AllLandThroughWritersOpenedAhead()
    {
        using var kernelLog = new DevKmsgKernelLog(_observed, TimeProvider.System, null, Device);
        Assert.False(File.Exists(Device), "the device node must exist only in the target's namespace");
        await kernelLog.WriteVerifiedAsync([Line(0)], CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(kernelLog.WritersInStock == kernelLog.WritersOpenedAhead), "the stock filled in the background");

        // The namespace thread is busy until released: every record below is written, read back and proven from this
        // test's threads through descriptors opened there before. 20 records in well under 5 s: more than one
        // descriptor's burst of 10, so they land only because each descriptor takes at most 8.
        using var release = new ManualResetEventSlim();
        var held = _namespace.RunAsync(() => release.Wait(TimeSpan.FromSeconds(60)), CancellationToken.None);
        var crossings = _observed.Crossings;
        var written = new List<KernelLogRecord>();
        try
        {
            for (var i = 1; i <= 20; i++)
            {
                written.Add(Assert.Single(await kernelLog.WriteVerifiedAsync([Line(i)], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))));
            }
        }
        finally
        {
            release.Set();
        }

        Assert.True(await held);
        Assert.Equal(Enumerable.Range(1, 20).Select(Text), written.Select(r => r.Text));
        var logged = _kernelLog.Snapshot();
        _kernelLog.AssertNoneLost();
        Assert.Equal(21, logged.RecordsContaining(_marker).Count);
        Assert.All(written, r => Assert.Equal([r.Sequence], logged.SequencesOf(r.Text)));
        // No write waited for a crossing: the only one asked for is the background refill (one at a time), still queued
        // behind the held thread when the last write returned.
        Assert.True(_observed.Crossings - crossings <= 1, $"crossings asked for: {_observed.Crossings - crossings}");
    }

    [RootFact]
    public async Task WriteVerifiedBatchAsync_HundredBatches_KeepsOnlyItsReaderWriterAndStockOpenAndDisposeClosesThem()
    {
        var kernelLog = new DevKmsgKernelLog(_namespace, TimeProvider.System, null, Device);
        try
        {
            for (var batch = 0; batch < 100; batch++)
            {
                var results = new List<KernelLogWriteResult>();
                IReadOnlyList<IReadOnlyList<KernelLogLine>> members = [[Line(batch * 3)], [Line((batch * 3) + 1), Line((batch * 3) + 2)]];
                await kernelLog.WriteVerifiedBatchAsync(members, beforeWrite: null, results, CancellationToken.None);
                Assert.All(results, r => Assert.NotNull(r.Records));
                Assert.Equal(2, results.Count);
            }

            // 300 records went through ~38 writers; what is open is the reader, the current writer and the stock.
            await Eventually.TrueAsync(() => Task.FromResult(kernelLog.WritersInStock == kernelLog.WritersOpenedAhead), "the stock refilled");
            Assert.Equal(1 + 1 + kernelLog.WritersOpenedAhead, OpenDescriptorsOnDevice());
            Assert.Equal(300, _kernelLog.SnapshotContaining(_marker).Count);
        }
        finally
        {
            kernelLog.Dispose();
        }

        Assert.Equal(0, OpenDescriptorsOnDevice());
    }

    [RootFact]
    public async Task RequestRefill_WriterTakenWhileARefillEnds_StockRefilledAgain()
    {
        // The refill's own log line (after its crossing opened the writers, before it counts as ended) is held open while
        // a call takes a writer from the stock: that call's request for a refill comes while one is still under way.
        using var refillEnding = new RefillEndingLogger();
        var kernelLog = new DevKmsgKernelLog(_namespace, TimeProvider.System, refillEnding, Device);
        try
        {
            await kernelLog.WriteVerifiedAsync([.. Enumerable.Range(0, 8).Select(Line)], CancellationToken.None);
            await Eventually.TrueAsync(() => Task.FromResult(kernelLog.WritersInStock == kernelLog.WritersOpenedAhead && !kernelLog.RefillUnderWay), "the first stock, its refill ended");

            // The current writer took its 8 records: the next record takes one from the stock, and its refill is held.
            // (On its own task: the refill may run to its end on the thread of the call that asked for it, inside that call.)
            refillEnding.Arm();
            var taking = Task.Run(() => kernelLog.WriteVerifiedAsync([Line(8)], CancellationToken.None));
            Assert.True(refillEnding.Reached.Wait(TimeSpan.FromSeconds(10)), "the refill's end was not reached");

            // 7 records fill the current writer, the 8th takes another from the stock while the refill is still under way.
            await kernelLog.WriteVerifiedAsync([.. Enumerable.Range(9, 8).Select(Line)], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(kernelLog.WritersOpenedAhead - 1, kernelLog.WritersInStock);
            refillEnding.Release();
            await taking.WaitAsync(TimeSpan.FromSeconds(10));

            await Eventually.TrueAsync(() => Task.FromResult(kernelLog.WritersInStock == kernelLog.WritersOpenedAhead), "the stock refilled", TimeSpan.FromSeconds(5));
            Assert.Equal(17, _kernelLog.SnapshotContaining(_marker).Count);
        }
        finally
        {
            refillEnding.Release();
            kernelLog.Dispose();
        }
    }

    /// <summary>This process's descriptors whose /proc/self/fd link names the test's device node.</summary>
    private int OpenDescriptorsOnDevice()
    {
        var count = 0;
        foreach (var link in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(link).LinkTarget is { } target && target.Contains(_directory, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Closed while listed.
            }
        }

        return count;
    }

    private KernelLogLine Line(int n) => new(4, Text(n));

    private string Text(int n) => string.Create(CultureInfo.InvariantCulture, $"NVRM: NVRM: Xid (PCI:0000:3b:00): 13, pid='<unknown>', name={_marker}, n={n}");

    /// <summary>Once armed, holds the first "writers opened ahead" log line (event 1303) until released.</summary>
    private sealed class RefillEndingLogger : Microsoft.Extensions.Logging.ILogger, IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private int _armed;

        public ManualResetEventSlim Reached { get; } = new();

        public void Arm() => Volatile.Write(ref _armed, 1);

        public void Release() => _release.Set();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 1303 && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Reached.Set();
                _release.Wait(TimeSpan.FromSeconds(30));
            }
        }

        public void Dispose()
        {
            _release.Dispose();
            Reached.Dispose();
        }
    }
}
