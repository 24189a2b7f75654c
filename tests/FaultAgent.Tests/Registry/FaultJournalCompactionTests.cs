using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// The journal's compaction runs beside the changes, not on their path (#14): while its snapshot is written the
/// registry keeps journaling injections, clears, updates, expiries and emergency stops; the swap carries them over; a
/// kill (the files as the page cache holds them at that moment, copied) or a failure at any step of it loses nothing
/// that was acknowledged.
/// </summary>
public sealed class FaultJournalCompactionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly RegistryTestContext _context = new();
    private readonly List<FaultRegistry> _crashed = [];

    public FaultJournalCompactionTests() => _context.Options.CompactAfterEntries = 16;

    public static TheoryData<string> Steps => [.. Enum.GetNames<FaultJournalCompactionStep>()];

    public void Dispose()
    {
        foreach (var registry in _crashed)
        {
            registry.Dispose();
        }

        _context.Dispose();
    }

    [Fact]
    public async Task Compaction_ChangesWhileItsSnapshotIsWritten_GoOnAndSurviveTheSwapAndARestart()
    {
        var registry = await _context.StartAsync();
        using var hold = new CompactionHold(registry, FaultJournalCompactionStep.SnapshotWritten);
        await InjectAsync(registry, 0, 8);
        await hold.ReachedAsync();
        var linesBefore = File.ReadLines(_context.JournalPath).Count();

        // Held after the snapshot: each change below would wait for the whole compaction if it held the gate.
        await InjectAsync(registry, 8, 5).WaitAsync(Patience);
        await _context.InjectAsync(registry, _context.Planned("f-expiring", "line expiring", duration: TimeSpan.FromSeconds(1))).WaitAsync(Patience);
        await registry.ClearAsync("f-1", "cleared while compacting", CancellationToken.None).WaitAsync(Patience);
        await registry.UpdateAsync("f-2", f => f with { Caller = "updated while compacting" }, CancellationToken.None).WaitAsync(Patience);
        _context.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await registry.EndExpiredAndPruneAsync(CancellationToken.None).WaitAsync(Patience));
        hold.Release();
        await registry.CompactionUnderWay.WaitAsync(Patience);

        // Compacted: the 8 records of the snapshot, then the 16 entries appended while it was written (6 injections,
        // a clear, an update, an expiry), instead of the 32 the journal held.
        Assert.Equal(16, linesBefore);
        Assert.Equal(8 + (6 * 2) + 3, File.ReadLines(_context.JournalPath).Count());
        Assert.False(File.Exists(_context.JournalPath + ".tmp"));

        // Appends after the swap go to the new file.
        await InjectAsync(registry, 13, 1);
        var expected = await registry.ListAsync(false, CancellationToken.None);
        var restarted = await _context.StartAsync();
        var after = await restarted.ListAsync(false, CancellationToken.None);
        Assert.Equal(Json(expected), Json(after));
        Assert.Equal(15, after.Count);
        Assert.Equal(FaultState.Cleared, after.Single(f => f.FaultId == "f-1").State);
        Assert.Equal("updated while compacting", after.Single(f => f.FaultId == "f-2").Caller);
        Assert.Equal(FaultState.Expired, after.Single(f => f.FaultId == "f-expiring").State);
        Assert.All(after, f => Assert.Equal(FaultWriteOutcome.Verified, f.WriteOutcome));
    }

    [Fact]
    public async Task Compaction_EmergencyStopWhileItsSnapshotIsWritten_EveryFaultStaysEndedAfterTheSwapAndARestart()
    {
        var registry = await _context.StartAsync();
        using var hold = new CompactionHold(registry, FaultJournalCompactionStep.SnapshotWritten);
        await InjectAsync(registry, 0, 8);
        await hold.ReachedAsync();

        var ended = await registry.EndAllActiveAsync(FaultState.Expired, "emergency stop", "api/alice", CancellationToken.None).WaitAsync(Patience);
        hold.Release();
        await registry.CompactionUnderWay.WaitAsync(Patience);

        Assert.Equal(8, ended.Count);
        Assert.Equal(0, registry.ActiveCount);
        var restarted = await _context.StartAsync();
        var after = await restarted.ListAsync(false, CancellationToken.None);
        Assert.Equal(8, after.Count);
        Assert.All(after, f => Assert.Equal(FaultState.Expired, f.State));
    }

    [Fact]
    public async Task Compaction_DirectorySyncUnderWay_ChangesGoOnAndADurableAppendWaitsForIt()
    {
        var registry = await _context.StartAsync();

        // Held once the directory is fsync'd, before the durable appends made since are let go.
        using var hold = new CompactionHold(registry, FaultJournalCompactionStep.DirectorySynced);
        await InjectAsync(registry, 0, 8);
        await hold.ReachedAsync();

        // The gate is free: a clear (journaled, not fsync'd) goes on while the directory's fsync is under way.
        await registry.ClearAsync("f-1", "cleared during the directory's fsync", CancellationToken.None).WaitAsync(Patience);

        // An injection's pending entry is written and fsync'd to the renamed file, but the injection is not acknowledged
        // before the rename is durable: a power loss could still give the journal's name back to the old file.
        var fsyncs = registry.JournalFsyncs;
        var injection = Task.Run(() => _context.InjectAsync(registry, _context.Planned("f-8", "line 8")));
        while (registry.JournalFsyncs == fsyncs)
        {
            await Task.Delay(10).WaitAsync(Patience);
            Assert.False(injection.IsCompleted);
        }

        var first = await Task.WhenAny(injection, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.NotSame(injection, first);
        hold.Release();
        await injection.WaitAsync(Patience);
        await registry.CompactionUnderWay.WaitAsync(Patience);

        var expected = await registry.ListAsync(false, CancellationToken.None);
        var restarted = await _context.StartAsync();
        Assert.Equal(Json(expected), Json(await restarted.ListAsync(false, CancellationToken.None)));
        Assert.Equal(9, expected.Count);
        Assert.Equal(FaultState.Cleared, expected.Single(f => f.FaultId == "f-1").State);
    }

    [Fact]
    public async Task Compaction_Swap_TheOldJournalIsClosedOnlyAfterTheDirectorySyncAndNeverLeft()
    {
        var registry = await _context.StartAsync();
        var openAtRename = -1;
        var openAtSync = -1;
        registry.CompactionStepReached = reached =>
        {
            if (reached == FaultJournalCompactionStep.Renamed)
            {
                openAtRename = OpenUnnamedJournals();
            }
            else if (reached == FaultJournalCompactionStep.DirectorySynced)
            {
                openAtSync = OpenUnnamedJournals();
            }
        };

        await InjectAsync(registry, 0, 8);
        await registry.CompactionUnderWay.WaitAsync(Patience);

        // Renamed under the gate with the old file still open (its close frees its blocks: after the gate and after the
        // directory's fsync, which durable appends wait for), and none left open after the compaction.
        Assert.Equal(1, openAtRename);
        Assert.Equal(1, openAtSync);
        Assert.Equal(0, OpenUnnamedJournals());
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Compaction_KilledAtAStep_TheJournalLeftHoldsEveryAcknowledgedChange(string stepName)
    {
        var step = Enum.Parse<FaultJournalCompactionStep>(stepName);
        var registry = await _context.StartAsync();
        using var crash = new TestDirectory();
        IReadOnlyList<FaultRecord>? acknowledged = null;
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        registry.CompactionStepReached = reached =>
        {
            if (reached == step)
            {
                // What a SIGKILL here leaves: the files as they are now (the page cache outlives the process).
                acknowledged = registry.ListAsync(false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                CopyFiles(_context.Directory.Path, crash.Path);
            }

            if (reached == FaultJournalCompactionStep.SnapshotWritten)
            {
                held.TrySetResult();
                release.Wait(CompactionHold.Longest);
            }
        };

        await InjectAsync(registry, 0, 8);
        await held.Task.WaitAsync(Patience);
        await InjectAsync(registry, 8, 4).WaitAsync(Patience);
        await registry.ClearAsync("f-3", "cleared while compacting", CancellationToken.None).WaitAsync(Patience);
        release.Set();
        await registry.CompactionUnderWay.WaitAsync(Patience);

        Assert.NotNull(acknowledged);
        Assert.Equal(step == FaultJournalCompactionStep.SnapshotWritten ? 8 : 12, acknowledged.Count);
        var restarted = await StartOnAsync(crash.Path);
        Assert.Equal(Json(acknowledged), Json(await restarted.ListAsync(false, CancellationToken.None)));
        Assert.False(File.Exists(Path.Combine(crash.Path, FaultJournal.FileName + ".tmp")));
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Compaction_StepFails_JournalStaysWholeAndTakesLaterChanges(string stepName)
    {
        var step = Enum.Parse<FaultJournalCompactionStep>(stepName);
        var registry = await _context.StartAsync();
        var failed = 0;
        registry.CompactionStepReached = reached =>
        {
            if (reached == step && Interlocked.Exchange(ref failed, 1) == 0)
            {
                throw new IOException($"injected failure at {step}");
            }
        };

        await InjectAsync(registry, 0, 8);
        await registry.CompactionUnderWay.WaitAsync(Patience);
        Assert.Equal(1, failed);
        Assert.False(File.Exists(_context.JournalPath + ".tmp"));

        // The registry goes on: later changes land in the file the journal's path names, and a later compaction runs.
        await InjectAsync(registry, 8, 8);
        await registry.ClearAsync("f-0", "after the failure", CancellationToken.None);
        await registry.CompactionUnderWay.WaitAsync(Patience);
        var expected = await registry.ListAsync(false, CancellationToken.None);
        var restarted = await _context.StartAsync();
        Assert.Equal(Json(expected), Json(await restarted.ListAsync(false, CancellationToken.None)));
        Assert.Equal(16, expected.Count);
        Assert.Equal(FaultState.Cleared, expected.Single(f => f.FaultId == "f-0").State);
    }

    private static string[] Json(IEnumerable<FaultRecord> faults) =>
        [.. faults.Select(f => System.Text.Encoding.UTF8.GetString(FaultJournal.Serialize(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = f.FaultId, Fault = f })))];

    /// <summary>This process's descriptors of a file named like the journal that a rename unnamed (the old journal).</summary>
    private int OpenUnnamedJournals() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Select(fd => fd.LinkTarget)
            .Count(target => target == _context.JournalPath + " (deleted)");

    private static void CopyFiles(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }

    private async Task InjectAsync(FaultRegistry registry, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            await _context.InjectAsync(registry, _context.Planned($"f-{i}", $"line {i}"));
        }
    }

    private async Task<FaultRegistry> StartOnAsync(string stateDirectory)
    {
        var registry = new FaultRegistry(
            new KernelLogPendingResolver(_context.KernelLog, _context.Time),
            _context.BootId,
            _context.Time,
            Microsoft.Extensions.Options.Options.Create(new AgentOptions { NodeName = "node-a", StateDirectory = stateDirectory }),
            Microsoft.Extensions.Options.Options.Create(_context.Options),
            NullLoggerFactory.Instance);
        _crashed.Add(registry);
        await registry.InitializeAsync(CancellationToken.None);
        return registry;
    }
}
