using System.Text;
using System.Text.Json;
using FaultAgent.Hosting;
using FaultAgent.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Dcgm;

/// <summary>
/// The agent's durable list of values it may have left in DCGM: <c>dcgm-writes.journal</c> in the state directory, JSON
/// lines. A <c>writing</c> line is on the disk (fsync) before dcgmi is asked to inject, and a <c>settled</c> line follows
/// once the value is taken back (restored, held by a later fault, rolled back, or moot after a reboot). After a crash the
/// open lines name every value to restore, whether or not the fault was recorded. Each line is one <c>write()</c>; a torn
/// last line is skipped. Thread-safe.
/// </summary>
public sealed class DcgmWriteLedger : IDisposable
{
    public const string FileName = "dcgm-writes.journal";

    private readonly Lock _lock = new();
    private readonly ILogger<DcgmWriteLedger> _logger;
    private readonly Dictionary<string, DcgmLedgerEntry> _open = new(StringComparer.Ordinal);
    private FileStream? _stream;
    private bool _loaded;
    private int _lines;

    public DcgmWriteLedger(IOptions<AgentOptions> agent, ILogger<DcgmWriteLedger> logger)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _logger = logger;
        StateDirectory = agent.Value.StateDirectory;
        FilePath = Path.Combine(StateDirectory, FileName);
    }

    public string StateDirectory { get; }

    public string FilePath { get; }

    /// <summary>Writes not yet settled, oldest first.</summary>
    public IReadOnlyList<DcgmLedgerEntry> Open
    {
        get
        {
            lock (_lock)
            {
                EnsureLoaded();
                return [.. _open.Values.OrderBy(e => e.At)];
            }
        }
    }

    /// <summary>Records, durably, that <paramref name="write"/> is about to be made for <paramref name="faultId"/>.</summary>
    /// <exception cref="IOException">The ledger cannot be written: nothing may be injected.</exception>
    public void RecordWriting(string faultId, DcgmFieldWriteRecord write, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(write);
        var entry = new DcgmLedgerEntry { Op = "writing", FaultId = faultId, Write = write, FieldId = write.FieldId, PciBusId = write.PciBusId, At = at };
        lock (_lock)
        {
            EnsureLoaded();
            Append(entry, flushToDisk: true);
            _open[Key(faultId, write.FieldId, write.PciBusId)] = entry;
        }
    }

    /// <summary>Records that the write is taken back; a failure to record it is logged (the restore pass settles it again).</summary>
    public void Settle(string faultId, DcgmFieldWriteRecord write, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_lock)
        {
            EnsureLoaded();
            if (!_open.Remove(Key(faultId, write.FieldId, write.PciBusId)))
            {
                return;
            }

            try
            {
                if (_open.Count == 0 && _lines > 64)
                {
                    Rewrite();
                }
                else
                {
                    Append(new DcgmLedgerEntry { Op = "settled", FaultId = faultId, FieldId = write.FieldId, PciBusId = write.PciBusId, At = at }, flushToDisk: false);
                }
            }
            catch (IOException e)
            {
                DcgmLog.LedgerNotWritten(_logger, FilePath, e);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    private static string Key(string faultId, int fieldId, string pciBusId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{faultId}\u001f{fieldId}\u001f{pciBusId.ToLowerInvariant()}");

    private void EnsureLoaded()
    {
        if (_loaded)
        {
            return;
        }

        Directory.CreateDirectory(StateDirectory);
        if (File.Exists(FilePath))
        {
            foreach (var line in File.ReadAllText(FilePath, Encoding.UTF8).Split('\n'))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                _lines++;
                DcgmLedgerEntry? entry;
                try
                {
                    entry = JsonSerializer.Deserialize(line, DcgmLedgerJsonContext.Default.DcgmLedgerEntry);
                }
                catch (JsonException)
                {
                    DcgmLog.LedgerLineSkipped(_logger, FilePath, _lines);
                    continue;
                }

                if (entry is null)
                {
                    continue;
                }

                var key = Key(entry.FaultId, entry.FieldId, entry.PciBusId);
                if (entry.Op == "writing" && entry.Write is not null)
                {
                    _open[key] = entry;
                }
                else if (entry.Op == "settled")
                {
                    _open.Remove(key);
                }
            }
        }

        _loaded = true;
    }

    private void Append(DcgmLedgerEntry entry, bool flushToDisk)
    {
        _stream ??= new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _stream.Write(Serialize(entry));
        if (flushToDisk)
        {
            _stream.Flush(flushToDisk: true);
        }

        _lines++;
    }

    private void Rewrite()
    {
        _stream?.Dispose();
        _stream = null;
        var temporary = FilePath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var entry in _open.Values)
            {
                stream.Write(Serialize(entry));
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
        StateDirectorySync.Flush(StateDirectory);
        _lines = _open.Count;
    }

    private static byte[] Serialize(DcgmLedgerEntry entry) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, DcgmLedgerJsonContext.Default.DcgmLedgerEntry) + "\n");
}
