using System.Globalization;
using System.Text;
using FaultAgent.Faults;
using FaultAgent.HostProcesses;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaultAgent.Injection;

/// <summary>
/// The host's kernel log through <c>/dev/kmsg</c>, opened on the <see cref="IHostNamespace"/> thread (so in the
/// target's mount namespace). Each record is one write() of <c>&lt;N&gt;text\n</c>. The kernel rate-limits every
/// open /dev/kmsg file (printk_devkmsg=ratelimit: 10 records per 5 s, then silently drops while write() succeeds),
/// so a fresh write descriptor is opened every <see cref="RecordsPerWriteHandle"/> records. Every write is verified by
/// one long-lived reader descriptor that only ever moves forward: before a write it is drained to the end of the log
/// (which also tells the next sequence number without rescanning the ring); after each line's write it reads records
/// until that line appears as OURS (<see cref="KernelRecordReadBack"/>: at or after the sequence the write started at,
/// exact text, level and facility, no sequence missed on the way), within <see cref="VerifyTimeout"/>, and only then
/// writes the next line. A first line that provably did not land throws <see cref="KernelLogRecordLostException"/>;
/// anything else short of full success throws <see cref="KernelLogWriteIncompleteException"/> with the records that
/// landed. All state lives on the namespace thread, which also serializes writes.
/// </summary>
public sealed class DevKmsgKernelLog : IKernelLog, IDisposable
{
    /// <summary>Records written through one descriptor before it is replaced; below the kernel's burst of 10.</summary>
    public const int RecordsPerWriteHandle = 8;

    private const int UserFacility = 1;

    private readonly IHostNamespace _namespace;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _devicePath;
    private readonly byte[] _writeBuffer = new byte[KernelLogText.MaxRecordBytes + 16];
    private readonly byte[] _readBuffer = new byte[16 * 1024];
    private readonly KernelRecordReadBack _readBack = new();
    private int _readerFd = -1;
    private int _writerFd = -1;
    private int _writesOnWriter;
    private ulong _nextSequence;
    private bool _disposed;

    public DevKmsgKernelLog(IHostNamespace hostNamespace, TimeProvider timeProvider, ILogger<DevKmsgKernelLog> logger)
        : this(hostNamespace, timeProvider, logger, "/dev/kmsg")
    {
    }

    public DevKmsgKernelLog(IHostNamespace hostNamespace, TimeProvider timeProvider, ILogger? logger = null, string devicePath = "/dev/kmsg")
    {
        _namespace = hostNamespace ?? throw new ArgumentNullException(nameof(hostNamespace));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? NullLogger.Instance;
        _devicePath = devicePath;
    }

    /// <summary>How long a written record may take to appear before it counts as lost.</summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// One crossing to the namespace thread: there the reader is drained to the end of the log (the next sequence),
    /// <paramref name="beforeWrite"/> runs with it, and the lines are written and read back.
    /// </summary>
    public async Task<IReadOnlyList<KernelLogRecord>> WriteVerifiedAsync(IReadOnlyList<KernelLogLine> lines, Action<ulong>? beforeWrite, CancellationToken cancellationToken)
    {
        Validate(lines);
        if (lines.Count == 0 && beforeWrite is null)
        {
            return [];
        }

        var records = await InNamespace(() =>
        {
            Start(beforeWrite);
            return WriteMember(lines);
        }, cancellationToken).ConfigureAwait(false);
        LogWritten(records);
        return records;
    }

    /// <summary>
    /// The whole batch in ONE crossing to the namespace thread: there the reader is drained (the next sequence),
    /// <paramref name="beforeWrite"/> runs with it (the batch's pending entries and their one fsync), then each member is
    /// written and read back in batch order, the reader drained again before each member after the first. The first
    /// member that is not fully written ends the crossing with its error as its result; nothing of a later member is
    /// written in it. The first member's lines are checked before the crossing (a refusal throws, nothing written); a
    /// later member's are checked at its turn (a refusal is its result).
    /// </summary>
    public async Task WriteVerifiedBatchAsync(IReadOnlyList<IReadOnlyList<KernelLogLine>> members, Action<ulong>? beforeWrite, List<KernelLogWriteResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(results);
        if (members.Count == 0)
        {
            return;
        }

        Validate(members[0]);
        var from = results.Count;
        await InNamespace(() => WriteBatch(members, beforeWrite, results), cancellationToken).ConfigureAwait(false);
        for (var i = from; i < results.Count; i++)
        {
            if (results[i].Records is { } records)
            {
                LogWritten(records);
            }
        }
    }

    public Task<ulong> GetNextSequenceAsync(CancellationToken cancellationToken) =>
        InNamespace(() =>
        {
            var phase = InjectionProfile.Start();
            DrainReader();
            InjectionProfile.Add(InjectionPhase.KmsgDrain, phase);
            return _nextSequence;
        }, cancellationToken);

    public Task<IReadOnlyList<KernelLogRecord>> ReadFromAsync(ulong fromSequence, CancellationToken cancellationToken) =>
        InNamespace<IReadOnlyList<KernelLogRecord>>(() =>
        {
            var records = new List<KernelLogRecord>();
            ReadAll(record =>
            {
                if (record.Sequence >= fromSequence)
                {
                    records.Add(record);
                }
            }, fromSequence);
            return records;
        }, cancellationToken);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        LinuxSyscalls.Close(Interlocked.Exchange(ref _readerFd, -1));
        LinuxSyscalls.Close(Interlocked.Exchange(ref _writerFd, -1));
    }

    private async Task<T> InNamespace<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            var result = await _namespace.RunAsync(work, cancellationToken).ConfigureAwait(false);
            InjectionProfile.Resumed();
            return result;
        }
        catch (HostNamespaceUnavailableException e)
        {
            throw new KernelLogUnavailableException($"The kernel log {_devicePath} is unavailable: {e.Message}", e);
        }
    }

    private static void Validate(IReadOnlyList<KernelLogLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            ArgumentNullException.ThrowIfNull(line);
            if (line.Level is < 0 or > 7)
            {
                throw new InvalidRequestException("level", string.Create(CultureInfo.InvariantCulture, $"syslog level {line.Level} is outside 0-7."));
            }

            KernelLogText.ValidateRecordText("text", line.Text);
            KernelLogText.ValidateRecordSize("text", line.Level, line.Text);
        }
    }

    private void LogWritten(IReadOnlyList<KernelLogRecord> records)
    {
        if (records.Count > 0)
        {
            DevKmsgLog.Written(_logger, records.Count, records[0].Sequence, records[^1].Sequence);
        }
    }

    // ---- everything below runs on the namespace thread only ----

    /// <summary>Drains the reader to the end of the log, then runs <paramref name="beforeWrite"/> with the next sequence.</summary>
    private void Start(Action<ulong>? beforeWrite)
    {
        var phase = InjectionProfile.Start();
        DrainReader();
        InjectionProfile.Add(InjectionPhase.KmsgDrain, phase);
        beforeWrite?.Invoke(_nextSequence);
    }

    /// <summary>The batch's crossing (<see cref="WriteVerifiedBatchAsync"/>); returns the number of results added.</summary>
    private int WriteBatch(IReadOnlyList<IReadOnlyList<KernelLogLine>> members, Action<ulong>? beforeWrite, List<KernelLogWriteResult> results)
    {
        var from = results.Count;
        Start(beforeWrite);
        for (var m = 0; m < members.Count; m++)
        {
            KernelLogRecord[] records;
            try
            {
                if (m > 0)
                {
                    Validate(members[m]);
                    var phase = InjectionProfile.Start();
                    DrainReader();
                    InjectionProfile.Add(InjectionPhase.KmsgDrain, phase);
                }

                records = WriteMember(members[m]);
            }
            catch (Exception e)
            {
                // This member is not fully written (or nothing of it is): its outcome is recorded before anything after it
                // is written, so the crossing ends here.
                results.Add(new KernelLogWriteResult(null, e));
                break;
            }

            results.Add(new KernelLogWriteResult(records, null));
        }

        return results.Count - from;
    }

    /// <summary>Writes one member's lines, each read back as ours before the next (the reader is drained: <see cref="Start"/>).</summary>
    private KernelLogRecord[] WriteMember(IReadOnlyList<KernelLogLine> lines)
    {
        long phase;
        var readBack = _readBack;
        readBack.Reset(lines, _nextSequence);
        for (var i = 0; i < lines.Count; i++)
        {
            try
            {
                phase = InjectionProfile.Start();
                WriteOne(lines[i]);
                InjectionProfile.Add(InjectionPhase.KmsgWrite, phase);
            }
            catch (KernelLogUnavailableException e) when (i > 0)
            {
                // This line was not written (open or write() failed); the earlier ones are in the log.
                throw Incomplete(lines, readBack, i, outcomeUnknown: false, $"writing it failed: {e.Message}", e);
            }
            catch (KernelLogWriteShortException e)
            {
                throw Incomplete(lines, readBack, i, outcomeUnknown: true, e.Message, e);
            }

            try
            {
                phase = InjectionProfile.Start();
                VerifyNext(readBack);
                InjectionProfile.Add(InjectionPhase.ReadBack, phase);
            }
            catch (KernelLogUnavailableException e)
            {
                // write() succeeded; the read-back failed: the record may well be there.
                throw Incomplete(lines, readBack, i, outcomeUnknown: true, $"it was written but could not be read back: {e.Message}", e);
            }

            switch (readBack.Outcome)
            {
                case ReadBackOutcome.Unknown:
                    DevKmsgLog.RecordUnprovable(_logger, lines[i].Text, readBack.GapAt);
                    throw Incomplete(lines, readBack, i, outcomeUnknown: true, string.Create(CultureInfo.InvariantCulture,
                        $"the kernel's ring overwrote records from sequence {readBack.GapAt} on before they were read back, so an identical record after them would not prove it ours"));
                case ReadBackOutcome.NotFound when readBack.Next == i:
                    if (i == 0)
                    {
                        throw Lost(lines, 0);
                    }

                    throw Incomplete(lines, readBack, i, outcomeUnknown: false, string.Create(CultureInfo.InvariantCulture,
                        $"it was written but the kernel did not keep it (every record from sequence {readBack.ExpectedFrom} on was read within {VerifyTimeout.TotalSeconds:0.#} s)"));
                default:
                    break;
            }
        }

        return [.. readBack.Matched];
    }

    private void WriteOne(KernelLogLine line)
    {
        var buffer = _writeBuffer.AsSpan();
        buffer[0] = (byte)'<';
        buffer[1] = (byte)('0' + line.Level);
        buffer[2] = (byte)'>';
        var length = 3 + Encoding.ASCII.GetBytes(line.Text, buffer[3..]);
        buffer[length++] = (byte)'\n';

        if (_writerFd < 0 || _writesOnWriter >= RecordsPerWriteHandle)
        {
            LinuxSyscalls.Close(_writerFd);
            _writerFd = -1;
            _writerFd = OpenDevice(LinuxSyscalls.WriteOnly);
            _writesOnWriter = 0;
        }

        var n = LinuxSyscalls.TryWrite(_writerFd, buffer[..length]);
        _writesOnWriter++;
        if (n < 0)
        {
            var error = (int)-n;
            LinuxSyscalls.Close(_writerFd);
            _writerFd = -1;
            throw new KernelLogUnavailableException(
                $"write {_devicePath} failed for record '{line.Text}': {LinuxSyscalls.Describe(error)}",
                LinuxSyscalls.Failure("write", _devicePath, error));
        }

        if (n != length)
        {
            throw new KernelLogWriteShortException(
                string.Create(CultureInfo.InvariantCulture, $"write {_devicePath} took {n} of {length} bytes of record '{line.Text}'"));
        }
    }

    /// <summary>
    /// Reads the forward-only reader until the line <paramref name="readBack"/> looks for next appears, sequences are
    /// missed, or <see cref="VerifyTimeout"/> passes with every record read.
    /// </summary>
    private void VerifyNext(KernelRecordReadBack readBack)
    {
        var line = readBack.Next;
        var deadline = _time.GetTimestamp() + (long)(VerifyTimeout.TotalSeconds * _time.TimestampFrequency);
        var waitedMilliseconds = 0L;
        while (readBack.Next == line && !readBack.SawGap)
        {
            var n = LinuxSyscalls.TryRead(_readerFd, _readBuffer);
            if (n > 0)
            {
                if (KmsgRecordFormat.TryParseHeader(_readBuffer.AsSpan(0, (int)n), out var priority, out var sequence, out var usec, out var text)
                    && Observe(sequence))
                {
                    _ = readBack.Observe(sequence, priority >> 3, priority & 7, text, usec);
                }

                continue;
            }

            if (n == -LinuxSyscalls.Epipe)
            {
                // The ring overwrote records the reader had not read yet; it continues at the oldest one kept, and the
                // jump in sequence numbers tells the read-back.
                continue;
            }

            if (n == 0 || n == -LinuxSyscalls.Eagain)
            {
                // Bounded twice: by the clock, and by the time actually spent waiting (a stopped test clock cannot hang it).
                var remaining = (deadline - _time.GetTimestamp()) * 1000 / _time.TimestampFrequency;
                if (remaining <= 0 || waitedMilliseconds >= VerifyTimeout.TotalMilliseconds)
                {
                    return;
                }

                var wait = (int)Math.Clamp(remaining, 1, 100);
                if (!LinuxSyscalls.WaitReadable(_readerFd, wait, _devicePath))
                {
                    waitedMilliseconds += wait;
                }

                continue;
            }

            var error = (int)-n;
            LinuxSyscalls.Close(_readerFd);
            _readerFd = -1;
            throw new KernelLogUnavailableException(
                $"read {_devicePath} failed while verifying: {LinuxSyscalls.Describe(error)}", LinuxSyscalls.Failure("read", _devicePath, error));
        }
    }

    private KernelLogRecordLostException Lost(IReadOnlyList<KernelLogLine> lines, int next)
    {
        DevKmsgLog.RecordLost(_logger, lines[next].Text);
        return new KernelLogRecordLostException(string.Create(CultureInfo.InvariantCulture,
            $"The record '<{lines[next].Level}>{lines[next].Text}' ({next + 1} of {lines.Count}) was written to {_devicePath} but did not appear in the kernel log within {VerifyTimeout.TotalSeconds:0.#} s, and every record after the write was read: the kernel did not keep it (rate limit)."));
    }

    private static KernelLogWriteIncompleteException Incomplete(IReadOnlyList<KernelLogLine> lines, KernelRecordReadBack readBack, int failed, bool outcomeUnknown, string why, Exception? inner = null)
    {
        var landed = readBack.Matched.Take(failed).ToList();
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Record {failed + 1} of {lines.Count} ('<{lines[failed].Level}>{lines[failed].Text}') {(outcomeUnknown ? "may or may not be in the kernel log" : "is not in the kernel log")}: {why}. {landed.Count} earlier record(s) landed{(landed.Count > 0 ? " (sequence " + string.Join(", ", landed.Select(r => r.Sequence)) + ")" : "")}; later records were not written.");
        return new KernelLogWriteIncompleteException(message, landed, failed, outcomeUnknown, inner);
    }

    private void ReadAll(Action<KernelLogRecord> onRecord, ulong fromSequence)
    {
        var fd = OpenDevice(LinuxSyscalls.ReadOnly | LinuxSyscalls.NonBlocking);
        try
        {
            LinuxSyscalls.SeekStart(fd, _devicePath);
            while (true)
            {
                var n = LinuxSyscalls.TryRead(fd, _readBuffer);
                if (n > 0)
                {
                    var span = _readBuffer.AsSpan(0, (int)n);
                    if (!KmsgRecordFormat.TryParseHeader(span, out var priority, out var sequence, out var usec, out var text))
                    {
                        continue;
                    }

                    if (sequence >= fromSequence)
                    {
                        onRecord(new KernelLogRecord(sequence, usec, priority >> 3, priority & 7, KmsgRecordFormat.Unescape(text)));
                    }

                    continue;
                }

                if (n == -LinuxSyscalls.Epipe)
                {
                    continue;
                }

                if (n == 0 || n == -LinuxSyscalls.Eagain)
                {
                    return;
                }

                throw new KernelLogUnavailableException(
                    $"read {_devicePath} failed: {LinuxSyscalls.Describe((int)-n)}", LinuxSyscalls.Failure("read", _devicePath, (int)-n));
            }
        }
        finally
        {
            LinuxSyscalls.Close(fd);
        }
    }

    /// <summary>
    /// Reads the forward-only reader up to the end of the log, so that the next record it returns is one written after
    /// this call. A new reader starts at the oldest record kept: the first drain reads the ring once, later ones only
    /// what others logged since.
    /// </summary>
    private void DrainReader()
    {
        if (_readerFd < 0)
        {
            _readerFd = OpenDevice(LinuxSyscalls.ReadOnly | LinuxSyscalls.NonBlocking);
        }

        while (true)
        {
            var n = LinuxSyscalls.TryRead(_readerFd, _readBuffer);
            if (n > 0)
            {
                if (KmsgRecordFormat.TryParseHeader(_readBuffer.AsSpan(0, (int)n), out _, out var sequence, out _, out _))
                {
                    Observe(sequence);
                }

                continue;
            }

            if (n == -LinuxSyscalls.Epipe)
            {
                continue;
            }

            if (n == 0 || n == -LinuxSyscalls.Eagain)
            {
                return;
            }

            var error = (int)-n;
            LinuxSyscalls.Close(_readerFd);
            _readerFd = -1;
            throw new KernelLogUnavailableException(
                $"read {_devicePath} failed: {LinuxSyscalls.Describe(error)}", LinuxSyscalls.Failure("read", _devicePath, error));
        }
    }

    /// <summary>Notes a record the reader returned; always true, so it can sit inside a match condition.</summary>
    private bool Observe(ulong sequence)
    {
        if (sequence >= _nextSequence)
        {
            _nextSequence = sequence + 1;
        }

        return true;
    }

    private int OpenDevice(int flags)
    {
        try
        {
            return LinuxSyscalls.Open(_devicePath, flags);
        }
        catch (SyscallException e)
        {
            var hint = e.Errno == LinuxSyscalls.Eperm
                ? " (is kernel.printk_devkmsg=off, or is the agent missing CAP_SYSLOG?)"
                : "";
            throw new KernelLogUnavailableException($"Cannot open the kernel log: {e.Message}{hint}", e);
        }
    }
}
