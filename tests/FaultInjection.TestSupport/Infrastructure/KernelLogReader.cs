using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// Reads every record of the machine's kernel log from the moment it has caught up with the head of the log, and names
/// the sequences it lost: the one reading core of the tests' kernel-log readers (<see cref="KernelLogRecorder"/>, which
/// keeps every record, and the drill tests' stand-in monitors, which follow the log as a monitor does). /dev/kmsg is read
/// by dd in a process of its own at SCHED_FIFO into a pipe of up to 8 MiB, which a thread of this process (SCHED_FIFO too)
/// drains, parsing each record in place and handing it to an <see cref="IKernelLogRecordSink"/>. Records the reader could
/// not read (EPIPE: other writers logging faster than it read, so the ring overwrote them first) are jumps in the
/// sequence numbers, kept as gaps (<see cref="Lost"/>, <see cref="Gaps"/>) and handed to the sink in order.
/// </summary>
public sealed class KernelLogReader : IDisposable
{
    private const int PrioProcess = 0;
    private const int HighestPriority = -20;
    private const int SchedFifo = 1;
    private const int Eintr = 4;
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ
    private const int MaxGapsNamed = 8;
    private readonly IKernelLogRecordSink _sink;
    private readonly bool _fromTheEnd;
    private readonly List<(ulong First, ulong Last)> _gaps = [];
    private readonly Process _dd;
    private readonly int _pipe;
    private readonly Thread _thread;
    private readonly Lock _catchUpLock = new();
    private ulong? _last;
    private long _lost;
    private long _caughtUpAt = -1;
    private volatile byte[][]? _waitingFor;
    private volatile ManualResetEventSlim? _seen;
    private volatile bool _stopping;
    private volatile bool _counting;
    private volatile string? _readError;

    private KernelLogReader(IKernelLogRecordSink sink, bool fromTheEnd)
    {
        _sink = sink;
        _fromTheEnd = fromTheEnd;

        // The records are read from /dev/kmsg by dd in a process of its own (one read() per record, at SCHED_FIFO when
        // allowed) into a pipe of up to 8 MiB, which this process drains: a GC pause here (every managed thread is
        // stopped, and under a flood the GC competes with the writers for the CPU) only fills the pipe instead of letting
        // the ring overwrite records the reader has not read. dd goes on after EPIPE (conv=noerror); its messages are
        // dropped, the gap shows in the sequence numbers. It is killed on Dispose (and dies of SIGPIPE with this process).
        var start = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""
            read_kmsg() { exec "$@" dd if=/dev/kmsg bs=16384 conv=noerror status=none 2>/dev/null; }
            if chrt -f 1 true 2>/dev/null; then read_kmsg chrt -f 1; else read_kmsg nice -n -20; fi
            """);
        _dd = Process.Start(start) ?? throw new InvalidOperationException("sh (dd reading /dev/kmsg) did not start.");
        _pipe = (int)((PipeStream)_dd.StandardOutput.BaseStream).SafePipeHandle.DangerousGetHandle();
        if (fcntl(_pipe, SetPipeSize, 8 << 20) < 0)
        {
            _ = fcntl(_pipe, SetPipeSize, 1 << 20);
        }

        _thread = new Thread(Read) { IsBackground = true, Name = "kernel log reader" };
        _thread.Start();
    }

    /// <summary>Records the reader could not read because the ring overwrote them first, since it caught up (0 when it kept up).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>The sequence ranges (inclusive) the ring overwrote before the reader read them, since it caught up.</summary>
    public IReadOnlyList<(ulong First, ulong Last)> Gaps
    {
        get
        {
            lock (_gaps)
            {
                return [.. _gaps];
            }
        }
    }

    /// <summary>The sequence of the first marker the reader read (where it caught up with the head of the log), or null before.</summary>
    public ulong? CaughtUpAt => Interlocked.Read(ref _caughtUpAt) is var at and >= 0 ? (ulong)at : null;

    /// <summary>
    /// Starts the reader and returns once it has caught up with the head of the log (it read a marker written here), so
    /// every record written after this call is either handed to <paramref name="sink"/> or counted in <see cref="Lost"/>.
    /// Records the ring overwrote while the reader was still catching up with the older ones are not counted: they
    /// predate the caller. With <paramref name="fromTheEnd"/> the sink gets only the records after that marker (as a
    /// reader positioned at the log's end), else also the older records the ring still held.
    /// </summary>
    public static KernelLogReader Start(IKernelLogRecordSink sink, bool fromTheEnd)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var reader = new KernelLogReader(sink, fromTheEnd);
        try
        {
            reader.CatchUp();
        }
        catch
        {
            reader.Dispose();
            throw;
        }

        return reader;
    }

    /// <summary>"N record(s), sequences A-B, C, ..." for gaps as <see cref="Gaps"/> lists them (at most 8 named).</summary>
    public static string Describe(IReadOnlyList<(ulong First, ulong Last)> gaps)
    {
        ArgumentNullException.ThrowIfNull(gaps);
        var lost = gaps.Sum(g => (long)(g.Last - g.First + 1));
        var named = string.Join(", ", gaps.Take(MaxGapsNamed).Select(g => g.First == g.Last
            ? g.First.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{g.First}-{g.Last}")));
        var more = gaps.Count > MaxGapsNamed ? $" and {gaps.Count - MaxGapsNamed} more gap(s)" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{lost} record(s), sequences {named}{more}");
    }

    /// <summary>
    /// Writes a marker record of its own and returns once the reader has read up to it, so every record written before
    /// this call was handed to the sink (or is in a gap of <see cref="Gaps"/>).
    /// </summary>
    public void CatchUp()
    {
        using var seen = new ManualResetEventSlim();
        using var one = _catchUpLock.EnterScope(); // one caller's markers awaited at a time
        var markers = new List<byte[]>();
        _seen = seen;
        try
        {
            // A marker the ring overwrote before the reader got to it (other writers logging faster than it reads) is never
            // seen: another one is written each second until one is, the gap counted in Lost.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            do
            {
                var marker = Encoding.ASCII.GetBytes($"fault-agent-tests: kernel log recorder snapshot {Guid.NewGuid():N}");
                markers.Add(marker);
                _waitingFor = [.. markers];
                using var writer = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
                writer.Write([.. "<6>"u8, .. marker, (byte)'\n']);
            }
            while (!seen.Wait(TimeSpan.FromSeconds(1)) && DateTime.UtcNow < deadline && _readError is null);

            if (!seen.IsSet)
            {
                throw new TimeoutException($"The kernel log reader did not read any of its {markers.Count} marker(s) within 60 s{(_readError is { } error ? ": " + error : "")}.");
            }
        }
        finally
        {
            _waitingFor = null;
            _seen = null;
        }
    }

    public void Dispose()
    {
        _stopping = true;
        try
        {
            _dd.Kill(entireProcessTree: true);
            _dd.WaitForExit();
            _thread.Join(); // the pipe's end: EOF
        }
        finally
        {
            _dd.Dispose();
        }
    }

    private void Read()
    {
        // The pipe must be drained faster than the log fills on average (dd blocks once it is full): this thread gets
        // SCHED_FIFO too when allowed (for itself only: its thread id), else nice -20. It blocks in read() between
        // chunks, so the real-time class takes only the time draining takes.
        var fifo = 1;
        if (sched_setscheduler(gettid(), SchedFifo, ref fifo) != 0)
        {
            _ = setpriority(PrioProcess, gettid(), HighestPriority);
        }

        // The pipe carries dd's reads back to back: each record one "prio,seq,usec,flags;text" line (the text's control
        // bytes escaped, so no raw newline inside), then its dictionary's lines, each starting with a space. Parsed in
        // place and handed on without allocating.
        var buffer = new byte[1 << 20];
        var filled = 0;
        while (true)
        {
            var n = read(_pipe, ref buffer[filled], buffer.Length - filled);
            if (n <= 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (n < 0 && errno == Eintr)
                {
                    continue;
                }

                if (!_stopping)
                {
                    _readError = n == 0 ? $"dd reading /dev/kmsg ended (exit {(_dd.HasExited ? _dd.ExitCode : -1)})" : $"read() of dd's pipe failed: errno {errno}";
                    _seen?.Set();
                }

                return;
            }

            filled += (int)n;
            var consumed = 0;
            while (buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n') is var newline and >= 0)
            {
                var line = buffer.AsSpan(consumed, newline);
                consumed += newline + 1;
                if (line.Length > 0 && line[0] != (byte)' ')
                {
                    Record(line);
                }
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }
    }

    private void Record(ReadOnlySpan<byte> line)
    {
        var semicolon = line.IndexOf((byte)';');
        var header = line[..semicolon];
        var comma1 = header.IndexOf((byte)',');
        var afterPriority = header[(comma1 + 1)..];
        var comma2 = afterPriority.IndexOf((byte)',');
        var afterSequence = afterPriority[(comma2 + 1)..];
        var comma3 = afterSequence.IndexOf((byte)',');
        var priority = int.Parse(header[..comma1], CultureInfo.InvariantCulture);
        var sequence = ulong.Parse(afterPriority[..comma2], CultureInfo.InvariantCulture);
        var microseconds = ulong.Parse(comma3 < 0 ? afterSequence : afterSequence[..comma3], CultureInfo.InvariantCulture);
        var text = line[(semicolon + 1)..];
        var counting = _counting;
        if (_last is { } last && sequence > last + 1 && counting)
        {
            lock (_gaps)
            {
                _gaps.Add((last + 1, sequence - 1));
            }

            Interlocked.Add(ref _lost, (long)(sequence - last - 1));
            _sink.Gap(last + 1, sequence - 1);
        }

        _last = sequence;
        if (counting || !_fromTheEnd)
        {
            _sink.Record(sequence, priority, microseconds, text);
        }

        if (_waitingFor is { } waiting && IsAny(text, waiting))
        {
            if (!counting)
            {
                Interlocked.Exchange(ref _caughtUpAt, (long)sequence);
                _counting = true; // caught up with the head: from here on every gap is a loss
            }

            _seen?.Set();
        }
    }

    private static bool IsAny(ReadOnlySpan<byte> text, byte[][] markers)
    {
        foreach (var marker in markers)
        {
            if (text.SequenceEqual(marker))
            {
                return true;
            }
        }

        return false;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, ref byte buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, int argument);

    [DllImport("libc")]
    private static extern int gettid();

    [DllImport("libc")]
    private static extern int sched_setscheduler(int pid, int policy, ref int priority);

    [DllImport("libc")]
    private static extern int setpriority(int which, int who, int priority);
}
