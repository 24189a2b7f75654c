using System.Diagnostics;
using FaultAgent.Injection;

namespace FaultAgent.Registry;

/// <summary>
/// The journal's compaction off the changes' path (#14): a change that leaves the journal large (under the write gate)
/// takes a snapshot of the registry's records and the journal's <see cref="FaultJournalSnapshotPoint"/>, and a background
/// task writes that snapshot beside the journal and copies the entries appended since, while injections, clears, expiry
/// and emergency stops go on appending to the journal; then, under the gate for a moment, it carries the last entries and
/// renames the new file over the journal, and, with the gate released, fsyncs the directory (a durable append made
/// before that fsync is done waits for it). A crash or a failed step at any point leaves the journal
/// whole with every entry written to it (before the rename the old file; after it the new one, which holds them all).
/// </summary>
public sealed partial class FaultRegistry
{
    private readonly CancellationTokenSource _compactionStopping = new();
    private Task _compaction = Task.CompletedTask;

    // Set under the gate when a compaction starts; cleared by the compaction when it ends (after removing its temporary file).
    private bool _compacting;

    /// <summary>The compaction under way, or a completed task (tests await it).</summary>
    internal Task CompactionUnderWay => Volatile.Read(ref _compaction);

    /// <summary>A seam for tests: called as a compaction reaches each of its steps.</summary>
    internal Action<FaultJournalCompactionStep>? CompactionStepReached
    {
        set => _journal.CompactionStepReached = value;
    }

    /// <summary>
    /// Starts a compaction when the journal holds at least <see cref="FaultRegistryOptions.CompactAfterEntries"/> entries
    /// and twice as many as records kept, and none is under way (the caller holds the gate: no entry is half-journaled).
    /// </summary>
    private void CompactIfLarge()
    {
        if (Volatile.Read(ref _compacting))
        {
            return;
        }

        List<FaultRecord> faults;
        List<FaultJournalEntry> unresolved;
        lock (_stateLock)
        {
            if (_journal.EntryCount < Math.Max(_options.CompactAfterEntries, (_faults.Count + _unresolvedPending.Count) * 2))
            {
                return;
            }

            faults = [.. _faults.Values];
            unresolved = [.. _unresolvedPending.Values];
        }

        var phase = InjectionProfile.Start();
        var at = _journal.SnapshotPoint;
        Volatile.Write(ref _compacting, true);
        using (ExecutionContext.SuppressFlow())
        {
            Volatile.Write(ref _compaction, Task.Run(() => CompactInBackgroundAsync(faults, unresolved, at, _compactionStopping.Token)));
        }

        InjectionProfile.Add(InjectionPhase.Compaction, phase);
    }

    /// <summary>Rewrites the journal at once to the registry's records (start-up: the caller holds the gate and nothing appends yet).</summary>
    private void Compact()
    {
        List<FaultJournalEntry> snapshot;
        lock (_stateLock)
        {
            snapshot = [.. SnapshotEntries([.. _faults.Values], [.. _unresolvedPending.Values])];
        }

        _journal.Rewrite(snapshot);
    }

    /// <summary>
    /// The compacted journal's entries: one whole record per fault kept, oldest first (the listings' order, so faults
    /// injected at one instant keep one order, not the map's), then the pending entries no start could resolve.
    /// </summary>
    private static IEnumerable<FaultJournalEntry> SnapshotEntries(List<FaultRecord> faults, List<FaultJournalEntry> unresolved) =>
        OldestFirst(faults)
            .Select(f => new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = f.FaultId, Fault = f })
            .Concat(unresolved);

    private async Task CompactInBackgroundAsync(List<FaultRecord> faults, List<FaultJournalEntry> unresolved, FaultJournalSnapshotPoint at, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var gateHeld = false;
        try
        {
            var entries = _journal.WriteSnapshot(SnapshotEntries(faults, unresolved), cancellationToken);

            // Catch up outside the gate with what was appended meanwhile, so the gate is held only for the last entries.
            var copied = _journal.CopyTail(at.Length);
            var written = Stopwatch.GetElapsedTime(started);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            gateHeld = true;
            var swapStarted = Stopwatch.GetTimestamp();
            var carried = _journal.EntryCount - at.EntryCount;
            _journal.CompleteCompaction(at, entries, copied);
            var swap = Stopwatch.GetElapsedTime(swapStarted);

            // The directory's fsync outside the gate (#14): changes go on meanwhile, and a durable append made before it
            // is done waits for it after its own fsync (FaultJournal.SyncDirectoryAfterSwap).
            gateHeld = false;
            _gate.Release();
            var syncStarted = Stopwatch.GetTimestamp();
            _journal.SyncDirectoryAfterSwap();
            var sync = Stopwatch.GetElapsedTime(syncStarted);
            FaultRegistryLog.Compacted(_logger, _journal.FilePath, entries, carried, written.TotalMilliseconds, swap.TotalMilliseconds, sync.TotalMilliseconds);
            InjectionProfile.Compacted(written, swap, sync, entries, carried);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the journal stays as it is (whole), the next start compacts.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Whole either way: before the rename the old journal, after it the new one (appends reopen it by path).
            FaultRegistryLog.CompactionFailed(_logger, _journal.FilePath, e);
        }
        finally
        {
            // The temporary file goes before another compaction may start writing it (after a rename there is none).
            try
            {
                File.Delete(_journal.TemporaryPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Overwritten by the next compaction.
            }

            Volatile.Write(ref _compacting, false);
            if (gateHeld)
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Cancels a compaction under way and waits for it to leave the files (disposal).</summary>
    private void StopCompaction()
    {
        if (_compactionStopping.IsCancellationRequested)
        {
            return;
        }

        _compactionStopping.Cancel();
        try
        {
            _ = CompactionUnderWay.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Its failure was its own; the journal is whole.
        }

        _compactionStopping.Dispose();
    }
}
