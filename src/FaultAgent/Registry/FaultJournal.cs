using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Registry;

/// <summary>
/// The registry's durable state: an append-only file of checksummed JSON lines, <c>faults.journal</c> in the state directory.
/// Each line is <c>&lt;16 hex digits&gt; &lt;json&gt;\n</c>, the hex digits being the first 8 bytes of the SHA-256 of the JSON
/// bytes. Each append is one <c>write()</c> of the whole line (an unbuffered stream), so a killed process leaves whole lines
/// in the page cache, which outlives the process; only appends asked to be durable are also flushed to the disk (fsync)
/// before they return, and that flush also makes every earlier line durable. <see cref="Dispose"/> (clean shutdown)
/// flushes too. <see cref="Rewrite"/> compacts: it writes a new file
/// beside the old, fsyncs it, renames it over the old one and fsyncs the directory, so a crash leaves either the old or the new file whole.
/// Not thread-safe: the registry serializes its calls.
/// </summary>
public sealed class FaultJournal : IDisposable
{
    public const string FileName = "faults.journal";

    private const int ChecksumHexLength = 16;

    private readonly ILogger<FaultJournal> _logger;
    private FileStream? _appendStream;

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

    /// <summary>Reads every readable entry. Damaged lines (bad checksum, bad JSON, torn last line) are skipped and counted.</summary>
    public FaultJournalLoadResult Load()
    {
        Directory.CreateDirectory(StateDirectory);
        if (!File.Exists(FilePath))
        {
            EntryCount = 0;
            return new FaultJournalLoadResult([], 0, false);
        }

        var bytes = File.ReadAllBytes(FilePath);
        var entries = new List<FaultJournalEntry>();
        var damaged = 0;
        var tornTail = false;
        var start = 0;
        var lineNumber = 0;
        while (start < bytes.Length)
        {
            lineNumber++;
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var complete = newline >= 0;
            var end = complete ? newline : bytes.Length;
            var line = bytes.AsSpan(start, end - start);
            start = end + 1;
            if (line.IsEmpty)
            {
                continue;
            }

            if (!complete)
            {
                tornTail = true;
            }

            if (TryParse(line, out var entry) && complete)
            {
                entries.Add(entry);
            }
            else
            {
                damaged++;
                FaultJournalLog.DamagedLine(_logger, FilePath, lineNumber, complete ? "checksum or JSON does not verify" : "the last line is incomplete (torn write)");
            }
        }

        EntryCount = entries.Count;
        return new FaultJournalLoadResult(entries, damaged, tornTail);
    }

    /// <summary>
    /// Appends one entry with a single <c>write()</c>; with <paramref name="flushToDisk"/> also fsyncs the file (this entry and
    /// every earlier one) before returning. Without it the entry survives a killed process, not a kernel crash or power loss,
    /// until the next durable append, compaction or clean shutdown.
    /// </summary>
    public void Append(FaultJournalEntry entry, bool flushToDisk)
    {
        _appendStream ??= OpenForAppend();
        var bytes = Serialize(entry);
        _appendStream.Write(bytes);
        if (flushToDisk)
        {
            _appendStream.Flush(flushToDisk: true);
        }

        EntryCount++;
    }

    /// <summary>Replaces the whole file with these entries, atomically (write beside, fsync, rename).</summary>
    public void Rewrite(IEnumerable<FaultJournalEntry> entries)
    {
        Directory.CreateDirectory(StateDirectory);
        var temporaryPath = FilePath + ".tmp";
        var count = 0;
        using (var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var entry in entries)
            {
                stream.Write(Serialize(entry));
                count++;
            }

            stream.Flush(flushToDisk: true);
        }

        _appendStream?.Dispose();
        _appendStream = null;
        File.Move(temporaryPath, FilePath, overwrite: true);
        StateDirectorySync.Flush(StateDirectory);
        EntryCount = count;
    }

    public void Dispose()
    {
        try
        {
            _appendStream?.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Shutting down: the lines are in the page cache and reach the disk with the kernel's own writeback.
        }

        _appendStream?.Dispose();
        _appendStream = null;
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
        var hex = Convert.ToHexStringLower(hash[..(ChecksumHexLength / 2)]);
        Encoding.ASCII.GetBytes(hex, destination);
    }

    private FileStream OpenForAppend()
    {
        Directory.CreateDirectory(StateDirectory);
        return new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }
}
