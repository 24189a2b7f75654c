using System.Buffers;
using System.Runtime.InteropServices;
using FaultAgent.Injection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Registry;

/// <summary>
/// The registry's durable state: an append-only file of checksummed JSON lines, <c>faults.journal</c> in the state directory.
/// Each line is <c>&lt;16 hex digits&gt; &lt;json&gt;\n</c>, the hex digits being the first 8 bytes of the SHA-256 of the JSON
/// bytes. Each append is one <c>write()</c> of the whole line to a descriptor opened with <c>O_APPEND</c>
/// (<see cref="AppendOnlyFile"/>), so it always lands at the file's end; a killed process leaves whole lines
/// in the page cache, which outlives the process; only appends asked to be durable are also flushed to the disk (fsync)
/// before they return, and that flush also makes every earlier line durable. <see cref="Dispose"/> (clean shutdown)
/// flushes too. <see cref="Rewrite"/> compacts at once: it writes a new file beside the old, fsyncs it, renames it over
/// the old one and fsyncs the directory, so a crash leaves either the old or the new file whole. The registry's compaction
/// after start runs in the background instead (#14): <see cref="WriteSnapshot"/> writes the registry's state as it stood at
/// a <see cref="FaultJournalSnapshotPoint"/> beside the journal while appends go on, <see cref="CopyTail"/> carries the
/// entries appended since, and <see cref="CompleteCompaction"/>, under the registry's write gate, carries the last ones and
/// renames — the file on disk is at every moment either the old journal or the new one with every entry the old one had.
/// Not thread-safe: the registry serializes its calls, except that <see cref="WriteSnapshot"/> and <see cref="CopyTail"/>
/// (one compaction at a time) may run beside them.
/// </summary>
public sealed class FaultJournal : IDisposable
{
    public const string FileName = "faults.journal";

    /// <summary>Bytes read from the file at a time when loading.</summary>
    public const int ReadChunkBytes = 64 * 1024;

    /// <summary>The longest line a load accepts (a fault with its records is a few KiB).</summary>
    public const int MaxLineBytes = 4 * 1024 * 1024;

    private const int ChecksumHexLength = 16;

    private readonly ILogger<FaultJournal> _logger;

    // An append's line is built here, reused by every append (a fault's entry is a few KiB; two per injection).
    private readonly ArrayBufferWriter<byte> _appendLine = new(4096);
    private Utf8JsonWriter? _appendJson;
    private AppendOnlyFile? _appendFile;

    // The journal's descriptor a compaction's rename retired (the old file, unnamed): closed after the gate is released and
    // after the durable appends waiting for the directory's fsync are let go, since its close is what frees the old file's
    // blocks (SyncDirectoryAfterSwap; 2-5 ms on this machine's disk, the largest part of the swap when the rename did it).
    private AppendOnlyFile? _retiredAppendFile;
    private long _unflushedBytes;

    // The file's length in whole lines (every append's write() returned): a compaction's copy outside the gate reads up to it.
    private long _length;

    // Reset from a compaction's rename (under the gate) until its directory fsync is done or failed (outside it): a durable
    // append waits for it, so no append is acknowledged durable in a new file before the rename that names it is.
    private readonly ManualResetEventSlim _renameDurable = new(initialState: true);

    public FaultJournal(string stateDirectory, ILogger<FaultJournal> logger)
    {
        _logger = logger;
        StateDirectory = stateDirectory;
        FilePath = Path.Combine(stateDirectory, FileName);
    }

    public string StateDirectory { get; }

    public string FilePath { get; }

    /// <summary>Entries in the file now (readable ones after a load, plus appends since).</summary>
    public int EntryCount { get; private set; }

    /// <summary>Appends made durable (fsync'd) since this journal was opened: what group commit shares (tests count them).</summary>
    internal long DurableAppends { get; private set; }

    /// <summary>The file a compaction writes beside the journal before renaming it over the journal.</summary>
    public string TemporaryPath => FilePath + ".tmp";

    /// <summary>A seam for tests: called as a compaction reaches each <see cref="FaultJournalCompactionStep"/> (on the thread doing it).</summary>
    internal Action<FaultJournalCompactionStep>? CompactionStepReached { get; set; }

    /// <summary>Where the journal stands now, for a snapshot of the state it holds (the caller holds the write gate: no append under way).</summary>
    internal FaultJournalSnapshotPoint SnapshotPoint => new(Volatile.Read(ref _length), EntryCount);

    /// <summary>
    /// Reads every readable entry into a list (tools and tests; the registry streams with <see cref="Load(Action{FaultJournalEntry})"/>).
    /// </summary>
    public FaultJournalLoadResult Load()
    {
        var entries = new List<FaultJournalEntry>();
        var scan = Load(entries.Add);
        return new FaultJournalLoadResult(entries, scan.DamagedLines, scan.TornTail);
    }

    /// <summary>
    /// Streams every readable entry, in order, to <paramref name="onEntry"/>, reading the file in
    /// <see cref="ReadChunkBytes"/> chunks: memory stays at one chunk plus the longest line, whatever the file's size.
    /// Damaged lines (bad checksum, bad JSON, longer than <see cref="MaxLineBytes"/>, a torn last line) are skipped,
    /// logged and counted.
    /// </summary>
    public FaultJournalScan Load(Action<FaultJournalEntry> onEntry)
    {
        ArgumentNullException.ThrowIfNull(onEntry);
        Directory.CreateDirectory(StateDirectory);
        if (!File.Exists(FilePath))
        {
            EntryCount = 0;
            Volatile.Write(ref _length, 0);
            return new FaultJournalScan(0, 0, false);
        }

        var entries = 0;
        var damaged = 0;

        // Pending faults not yet recorded, abandoned or superseded: what a recorded delta (RecordedDelta) is applied to.
        var pendingFaults = new Dictionary<string, FaultRecord>(StringComparer.Ordinal);
        var lineNumber = 0;
        var tornTail = false;
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[ReadChunkBytes];
        var start = 0;
        var end = 0;
        var skippingLongLine = false;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = buffer.AsSpan(start, newline);
                start += newline + 1;
                lineNumber++;
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                    continue;
                }

                if (line.IsEmpty)
                {
                    continue;
                }

                if (!TryParse(line, out var entry))
                {
                    damaged++;
                    FaultJournalLog.DamagedLine(_logger, FilePath, lineNumber, "checksum or JSON does not verify");
                }
                else if (!TryComplete(ref entry, pendingFaults))
                {
                    damaged++;
                    FaultJournalLog.DamagedLine(_logger, FilePath, lineNumber, "a recorded delta whose pending entry is not before it");
                }
                else
                {
                    entries++;
                    onEntry(entry);
                }

                continue;
            }

            // No whole line in the buffer: keep the partial one, make room, read on.
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                if (buffer.Length >= MaxLineBytes)
                {
                    // A line this long is not one the journal writes: skip it up to its newline.
                    damaged++;
                    FaultJournalLog.DamagedLine(_logger, FilePath, lineNumber + 1, $"longer than {MaxLineBytes} bytes");
                    skippingLongLine = true;
                    end = 0;
                }
                else
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxLineBytes));
                }
            }

            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > 0 && !skippingLongLine)
                {
                    lineNumber++;
                    tornTail = true;
                    damaged++;
                    FaultJournalLog.DamagedLine(_logger, FilePath, lineNumber, "the last line is incomplete (torn write)");
                }

                break;
            }

            end += read;
        }

        EntryCount = entries;
        Volatile.Write(ref _length, stream.Length);
        return new FaultJournalScan(entries, damaged, tornTail);
    }

    /// <summary>
    /// Opens the file for appending now, by its path, if it is not open yet (after a load or a <see cref="Rewrite"/>).
    /// An <see cref="Append"/> that may run on a thread in the host's mount namespace (an injection's pending entry: the
    /// kernel log's contract allows it, though <see cref="Injection.DevKmsgKernelLog"/> runs it on the batch leader's own
    /// thread) needs this first: there a path names the host's file, not the agent's; an open descriptor names the agent's.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public void OpenForAppending() => _appendFile ??= OpenForAppend();

    /// <summary>
    /// Appends one entry with a single <c>write()</c>; with <paramref name="flushToDisk"/> also fsyncs the file (this entry and
    /// every earlier one) before returning. Without it the entry survives a killed process, not a kernel crash or power loss,
    /// until the next durable append, compaction or clean shutdown.
    /// </summary>
    public void Append(FaultJournalEntry entry, bool flushToDisk)
    {
        var phase = InjectionProfile.Start();
        _appendFile ??= OpenForAppend();
        var line = SerializeForAppend(entry);
        _appendFile.Append(line, flushToDisk: false);
        _unflushedBytes += line.Length;
        Volatile.Write(ref _length, _length + line.Length);
        EntryCount++;
        if (entry.Op == FaultJournalOperation.Pending)
        {
            InjectionProfile.Add(InjectionPhase.JournalAppend, phase);
        }

        if (flushToDisk)
        {
            phase = InjectionProfile.Start();
            _appendFile.Flush();
            DurableAppends++;
            InjectionProfile.Add(InjectionPhase.Fsync, phase);
            InjectionProfile.FsyncFlushed(_unflushedBytes);
            _unflushedBytes = 0;
            WaitForRenameDurable();
        }
    }

    /// <summary>
    /// Returns once the last compaction's rename is durable (its directory fsync'd, or that fsync failed and was logged):
    /// at once but for the moments after a swap, when the file just fsync'd may be one a power loss would unname.
    /// </summary>
    private void WaitForRenameDurable()
    {
        if (_renameDurable.IsSet)
        {
            return;
        }

        var phase = InjectionProfile.Start();
        _renameDurable.Wait();
        InjectionProfile.Add(InjectionPhase.Compaction, phase);
    }

    /// <summary>Replaces the whole file with these entries, atomically (write beside, fsync, rename, fsync the directory).</summary>
    public void Rewrite(IEnumerable<FaultJournalEntry> entries)
    {
        var count = WriteSnapshot(entries, CancellationToken.None);
        SwapIn(count, new FileInfo(TemporaryPath).Length);
    }

    /// <summary>
    /// Writes <paramref name="entries"/> (the registry's state at a <see cref="SnapshotPoint"/>) to <see cref="TemporaryPath"/>
    /// and fsyncs it; returns how many. Touches nothing appends use (its own buffers, its own file), so it may run while the
    /// registry appends; never beside another compaction.
    /// </summary>
    internal int WriteSnapshot(IEnumerable<FaultJournalEntry> entries, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(StateDirectory);
        var line = new ArrayBufferWriter<byte>(4096);
        Utf8JsonWriter? json = null;
        var count = 0;
        try
        {
            using var stream = new FileStream(TemporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: ReadChunkBytes);
            foreach (var entry in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                stream.Write(SerializeLine(entry, line, ref json));
                count++;
            }

            stream.Flush(flushToDisk: true);
        }
        finally
        {
            json?.Dispose();
        }

        CompactionStepReached?.Invoke(FaultJournalCompactionStep.SnapshotWritten);
        return count;
    }

    /// <summary>
    /// Appends the journal's bytes from <paramref name="from"/> to its length now (whole lines: every append's write()
    /// returned) to <see cref="TemporaryPath"/> and fsyncs it; returns where it stopped. May run while the registry appends
    /// (a compaction's catch-up outside the gate); under the gate it carries the rest.
    /// </summary>
    internal long CopyTail(long from)
    {
        var to = Volatile.Read(ref _length);
        if (to <= from)
        {
            return from;
        }

        using var temporary = new FileStream(TemporaryPath, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 1);
        using (var journal = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
            try
            {
                journal.Seek(from, SeekOrigin.Begin);
                for (var left = to - from; left > 0;)
                {
                    var read = journal.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (read == 0)
                    {
                        throw new IOException($"{FilePath} ended at {to - left} bytes; {to} were appended.");
                    }

                    temporary.Write(buffer, 0, read);
                    left -= read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        temporary.Flush(flushToDisk: true);
        return to;
    }

    /// <summary>
    /// Ends a compaction (the caller holds the write gate: no append under way): carries the entries appended after
    /// <paramref name="copiedTo"/> (what <see cref="CopyTail"/> already carried), renames the temporary file over the journal
    /// and fsyncs the directory. <paramref name="at"/> is where the snapshot of <paramref name="snapshotEntries"/> entries
    /// was taken. Until the rename the journal is the old file, whole; after it, the new one, whole.
    /// </summary>
    internal void CompleteCompaction(FaultJournalSnapshotPoint at, int snapshotEntries, long copiedTo)
    {
        var started = InjectionProfile.Start();
        _ = CopyTail(copiedTo);
        CompactionStepReached?.Invoke(FaultJournalCompactionStep.TailCopied);
        var length = new FileInfo(TemporaryPath).Length;
        var renamed = InjectionProfile.Start();

        // From the rename on, until SyncDirectoryAfterSwap: durable appends wait for the directory's fsync.
        _renameDurable.Reset();
        try
        {
            // The old file's descriptor stays open until then too: the rename then only unnames the old file, and the
            // close that frees its blocks runs after the gate is released.
            _retiredAppendFile = _appendFile;
            _appendFile = null;
            Rename(snapshotEntries + (EntryCount - at.EntryCount), length);
            InjectionProfile.CompactionSwapSteps(renamed - started, InjectionProfile.Start() - renamed);
        }
        catch
        {
            // Not renamed (the old journal stands, whole), or a step right after the rename failed: as a failed directory
            // fsync did before, the failure is logged and the appends go on in the file the journal's path names.
            _retiredAppendFile?.Dispose();
            _retiredAppendFile = null;
            _renameDurable.Set();
            throw;
        }
    }

    /// <summary>
    /// After <see cref="CompleteCompaction"/> (the caller no longer holds the write gate; appends go on to the new file):
    /// fsyncs the directory, so the rename survives a power loss, then lets the durable appends made since return, then
    /// closes the old file's descriptor (which frees its blocks). The fsync's failure is thrown after those are let go (as before #14's agenthot pass, when the swap fsync'd the directory under
    /// the gate: the appends then go on in the file the journal's path names, and the failure is logged).
    /// </summary>
    internal void SyncDirectoryAfterSwap()
    {
        var syncing = InjectionProfile.Start();
        try
        {
            StateDirectorySync.Flush(StateDirectory);
            CompactionStepReached?.Invoke(FaultJournalCompactionStep.DirectorySynced);
        }
        finally
        {
            _renameDurable.Set();

            // Then the old file's close (its blocks freed; milliseconds on this disk), with nobody waiting for it.
            var closing = InjectionProfile.Start();
            _retiredAppendFile?.Dispose();
            _retiredAppendFile = null;
            InjectionProfile.CompactionSyncSteps(InjectionProfile.Start() - closing, closing - syncing);
        }
    }

    /// <summary>Renames the written temporary file over the journal and fsyncs the directory (start-up: nothing appends meanwhile).</summary>
    private void SwapIn(int entryCount, long length)
    {
        Rename(entryCount, length);
        StateDirectorySync.Flush(StateDirectory);
        CompactionStepReached?.Invoke(FaultJournalCompactionStep.DirectorySynced);
    }

    /// <summary>Renames the written temporary file over the journal. The appends after it go to the new file (opened again by path).</summary>
    private void Rename(int entryCount, long length)
    {
        _appendFile?.Dispose();
        _appendFile = null;
        File.Move(TemporaryPath, FilePath, overwrite: true);
        EntryCount = entryCount;
        Volatile.Write(ref _length, length);
        _unflushedBytes = 0;
        CompactionStepReached?.Invoke(FaultJournalCompactionStep.Renamed);
    }

    public void Dispose()
    {
        try
        {
            _appendFile?.Flush();
        }
        catch (IOException)
        {
            // Shutting down: the lines are in the page cache and reach the disk with the kernel's own writeback.
        }

        _appendFile?.Dispose();
        _appendFile = null;
        _retiredAppendFile?.Dispose();
        _retiredAppendFile = null;
        _appendJson?.Dispose();
        _appendJson = null;
        _renameDurable.Dispose();
    }

    internal static byte[] Serialize(FaultJournalEntry entry)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, FaultJournalJsonContext.Default.FaultJournalEntry);
        var line = new byte[ChecksumHexLength + 1 + json.Length + 1];
        WriteChecksum(json, line.AsSpan(0, ChecksumHexLength));
        line[ChecksumHexLength] = (byte)' ';
        json.CopyTo(line, ChecksumHexLength + 1);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>The same line as <see cref="Serialize"/>, built in this journal's reused buffer (valid until the next append).</summary>
    private ReadOnlySpan<byte> SerializeForAppend(FaultJournalEntry entry) => SerializeLine(entry, _appendLine, ref _appendJson);

    /// <summary>The same line as <see cref="Serialize"/>, built in <paramref name="line"/> (valid until its next use) with a reused JSON writer.</summary>
    private static ReadOnlySpan<byte> SerializeLine(FaultJournalEntry entry, ArrayBufferWriter<byte> line, ref Utf8JsonWriter? json)
    {
        line.ResetWrittenCount();
        line.Advance(ChecksumHexLength + 1);
        if (json is null)
        {
            var options = FaultJournalJsonContext.Default.Options;
            json = new Utf8JsonWriter(line, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, SkipValidation = true });
        }
        else
        {
            json.Reset(line);
        }

        JsonSerializer.Serialize(json, entry, FaultJournalJsonContext.Default.FaultJournalEntry);
        json.Flush();
        line.GetSpan(1)[0] = (byte)'\n';
        line.Advance(1);
        var bytes = MemoryMarshal.AsMemory(line.WrittenMemory).Span;
        WriteChecksum(bytes[(ChecksumHexLength + 1)..^1], bytes[..ChecksumHexLength]);
        bytes[ChecksumHexLength] = (byte)' ';
        return bytes;
    }

    /// <summary>
    /// Tracks the pending faults and turns a recorded delta into the whole entry (its pending fault with the proofs);
    /// false for a delta without its pending entry (that line was damaged): nothing can be recorded from it.
    /// </summary>
    private static bool TryComplete(ref FaultJournalEntry entry, Dictionary<string, FaultRecord> pendingFaults)
    {
        switch (entry.Op)
        {
            case FaultJournalOperation.Pending when entry.Fault is not null:
                pendingFaults[entry.FaultId] = entry.Fault;
                return true;
            case FaultJournalOperation.Recorded when entry.Fault is null && entry.Proofs is not null:
                if (!pendingFaults.Remove(entry.FaultId, out var pending) || RecordedDelta.Apply(pending, entry) is not { } recorded)
                {
                    return false;
                }

                entry = entry with { Fault = recorded };
                return true;
            case FaultJournalOperation.Recorded or FaultJournalOperation.Abandoned:
                pendingFaults.Remove(entry.FaultId);
                return true;
            default:
                return true;
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> line, out FaultJournalEntry entry)
    {
        entry = null!;
        if (line.Length < ChecksumHexLength + 2 || line[ChecksumHexLength] != (byte)' ')
        {
            return false;
        }

        var json = line[(ChecksumHexLength + 1)..];
        Span<byte> expected = stackalloc byte[ChecksumHexLength];
        WriteChecksum(json, expected);
        if (!expected.SequenceEqual(line[..ChecksumHexLength]))
        {
            return false;
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(json, FaultJournalJsonContext.Default.FaultJournalEntry);
            if (parsed is null)
            {
                return false;
            }

            entry = parsed;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteChecksum(ReadOnlySpan<byte> json, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(json, hash);
        Convert.TryToHexStringLower(hash[..(ChecksumHexLength / 2)], destination, out _);
    }

    private AppendOnlyFile OpenForAppend()
    {
        Directory.CreateDirectory(StateDirectory);
        return new AppendOnlyFile(FilePath);
    }
}
