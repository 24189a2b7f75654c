using System.Globalization;
using System.Text;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// Keeps every record of the machine's kernel log from the moment it starts (a plain blocking reader of /dev/kmsg on
/// its own thread, separate from the code under test), so a test's oracle does not depend on the kernel's ring buffer
/// still holding its records when it looks: the ring here keeps ~1,500 records, and other writers (the other test
/// assembly, anything else on the machine) can overwrite a burst's records before a test reads them with dmesg.
/// Records the reader itself missed (EPIPE: it fell behind the ring) are counted in <see cref="Lost"/>.
/// </summary>
public sealed class KernelLogRecorder : IDisposable
{
    private const int PrioProcess = 0;
    private const int HighestPriority = -20;
    private readonly Dictionary<ulong, string> _records = [];
    private readonly FileStream _stream = new("/dev/kmsg", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
    private readonly Thread _thread;
    private ulong? _last;
    private long _lost;
    private (string Marker, ManualResetEventSlim Seen)? _waiting;
    private volatile bool _stopping;
    private bool _counting;

    private KernelLogRecorder()
    {
        _thread = new Thread(Read) { IsBackground = true, Name = "kernel log recorder" };
        _thread.Start();
    }

    /// <summary>Records the reader could not read because the ring overwrote them first (0 when it kept up).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>
    /// Starts the reader and returns once it has caught up with the head of the log (it read a marker written here), so
    /// every record written after this call is either read or counted in <see cref="Lost"/>. Records the ring overwrote
    /// while the reader was still catching up with the older ones are not counted: they predate the test.
    /// </summary>
    public static KernelLogRecorder Start()
    {
        var recorder = new KernelLogRecorder();
        recorder.Snapshot();
        return recorder;
    }

    /// <summary>Fails the test if the reader fell behind the ring: its answers would then miss records.</summary>
    public void AssertNoneLost() =>
        Assert.True(Lost == 0, $"The kernel log recorder fell behind the kernel's ring buffer and missed {Lost} records; its snapshot is incomplete.");

    /// <summary>
    /// Every record seen so far, sequence -> text (including records from before <see cref="Start"/> that the ring still
    /// held): writes a marker record of its own and returns once the reader has read up to it, so every record written
    /// before this call is in the answer.
    /// </summary>
    public IReadOnlyDictionary<ulong, string> Snapshot()
    {
        var marker = $"fault-agent-tests: kernel log recorder snapshot {Guid.NewGuid():N}";
        using var seen = new ManualResetEventSlim();
        lock (_records)
        {
            _waiting = (marker, seen);
        }

        using (var writer = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            writer.Write(Encoding.UTF8.GetBytes($"<6>{marker}\n"));
        }

        var read = seen.Wait(TimeSpan.FromSeconds(60));
        lock (_records)
        {
            _waiting = null;
            return read
                ? new Dictionary<ulong, string>(_records)
                : throw new TimeoutException("The kernel log recorder did not read its own marker within 60 s.");
        }
    }

    /// <summary>
    /// The text of every record written so far that contains <paramref name="marker"/>, in sequence order: a
    /// <see cref="Snapshot"/>, after which the test fails if the recorder missed any record (an answer with a gap could
    /// hide a line, or a second one).
    /// </summary>
    public IReadOnlyList<string> SnapshotContaining(string marker)
    {
        var records = Snapshot();
        AssertNoneLost();
        return Containing(records, marker);
    }

    /// <summary>The text of every recorded record containing <paramref name="marker"/>, in sequence order.</summary>
    public static IReadOnlyList<string> Containing(IReadOnlyDictionary<ulong, string> records, string marker)
    {
        ArgumentNullException.ThrowIfNull(records);
        return [.. records.OrderBy(r => r.Key).Select(r => r.Value).Where(text => text.Contains(marker, StringComparison.Ordinal))];
    }

    public void Dispose()
    {
        _stopping = true;
        try
        {
            Snapshot();
            _thread.Join();
        }
        finally
        {
            _stream.Dispose();
        }
    }

    private void Read()
    {
        // At nice 0 this thread was descheduled long enough under CPU load (load ~22, the log flooded at ~2,700 records/s)
        // for the ring to overwrite records it had not read yet (it missed 4). As root it runs at nice -20 (setpriority on
        // its own thread id affects only this thread); when that is refused, Lost still says whether it kept up.
        _ = setpriority(PrioProcess, gettid(), HighestPriority);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = _stream.Read(buffer);
            }
            catch (IOException)
            {
                // EPIPE: the ring overwrote the next record before it was read; the gap shows at the next record.
                continue;
            }

            var record = Encoding.UTF8.GetString(buffer, 0, n);
            var semicolon = record.IndexOf(';', StringComparison.Ordinal);
            var newline = record.IndexOf('\n', StringComparison.Ordinal);
            var text = record[(semicolon + 1)..(newline < 0 ? record.Length : newline)];
            var sequence = ulong.Parse(record[..semicolon].Split(',')[1], CultureInfo.InvariantCulture);
            if (_last is { } last && sequence > last + 1 && Volatile.Read(ref _counting))
            {
                Interlocked.Add(ref _lost, (long)(sequence - last - 1));
            }

            _last = sequence;
            lock (_records)
            {
                _records[sequence] = text;
                if (_waiting is { } waiting && waiting.Marker == text)
                {
                    Volatile.Write(ref _counting, true); // caught up with the head: from here on every gap is a loss
                    waiting.Seen.Set();
                    if (_stopping)
                    {
                        return;
                    }
                }
            }
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int gettid();

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int setpriority(int which, int who, int priority);
}
