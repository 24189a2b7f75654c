using System.Globalization;
using System.Text;
using FaultAgent.Faults;
using FaultAgent.HostProcesses;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaultAgent.Injection;

/// <summary>
/// The host's kernel log through <c>/dev/kmsg</c>. Its descriptors are OPENED on the <see cref="IHostNamespace"/>
/// thread, so the path is resolved in the target's mount namespace (the host's device), and USED from the caller's own
/// thread (<see cref="KmsgDescriptors"/>): a write call does not cross to the namespace thread unless it finds too few
/// descriptors open. Each record is one write() of <c>&lt;N&gt;text\n</c>. The kernel rate-limits every open /dev/kmsg
/// file (printk_devkmsg=ratelimit: 10 records per 5 s, then silently drops while write() succeeds), so a descriptor
/// takes <see cref="RecordsPerWriteHandle"/> records and is replaced by a fresh one, opened ahead in the background
/// (<see cref="WritersOpenedAhead"/>). Every write is verified by one long-lived reader descriptor that only ever moves
/// forward: before a call's pending entry it is drained to the end of the log (which also tells the next sequence
/// number without rescanning the ring), and again right before each line's write(); after the write it reads records
/// until that line appears as OURS (<see cref="KernelRecordReadBack"/>: at or after the sequence the log had reached
/// just before that write(), so no other writer's record from before it counts, exact text, level and facility, no
/// sequence missed from there on), within <see cref="VerifyTimeout"/>, and only then writes the next line. A first line
/// that provably did not land throws <see cref="KernelLogRecordLostException"/>; anything else short of full success
/// throws <see cref="KernelLogWriteIncompleteException"/> with the records that landed. Writes, drains and read-backs
/// are serialized by the log's own I/O gate (on the injection path the registry's write gate already serializes
/// batches, so it is never contended there); <see cref="ReadFromAsync"/> reads through a descriptor of its own.
/// </summary>
public sealed class DevKmsgKernelLog : IKernelLog, IDisposable
{
    /// <summary>Records written through one descriptor before it is replaced; below the kernel's burst of 10.</summary>
    public const int RecordsPerWriteHandle = 8;

    private const int UserFacility = 1;

    private readonly IHostNamespace _namespace;
    private readonly KmsgDescriptors _descriptors;
    private readonly SemaphoreSlim _io = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _devicePath;
    private readonly byte[] _writeBuffer = new byte[KernelLogText.MaxRecordBytes + 16];
    private readonly byte[] _readBuffer = new byte[16 * 1024];
    private readonly KernelRecordReadBack _readBack = new();
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
        _descriptors = new KmsgDescriptors(_namespace, devicePath, _logger);
    }

    /// <summary>How long a written record may take to appear before it counts as lost.</summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Fresh writer descriptors kept open ahead, refilled in the background after a call took from them (default 4:
    /// 32 records). 0: each call opens the writers it needs in one crossing at its start.
    /// </summary>
    public int WritersOpenedAhead
    {
        get => _descriptors.StockTarget;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _descriptors.StockTarget = value;
        }
    }

    /// <summary>Writers waiting in the stock now (tests).</summary>
    internal int WritersInStock => _descriptors.Stocked;

    /// <summary>Whether a background refill of the stock is under way (tests wait for one to end).</summary>
    internal bool RefillUnderWay => _descriptors.Refilling;

    /// <summary>
    /// On the caller's thread, under the I/O gate: the reader is drained to the end of the log (the next sequence),
    /// <paramref name="beforeWrite"/> runs with it, and the lines are written and read back.
    /// </summary>
    public async Task<IReadOnlyList<KernelLogRecord>> WriteVerifiedAsync(IReadOnlyList<KernelLogLine> lines, Action<ulong>? beforeWrite, CancellationToken cancellationToken)
    {
        Validate(lines);
        if (lines.Count == 0 && beforeWrite is null)
        {
            return [];
        }

        KernelLogRecord[] records;
        await EnterAsync(lines.Count, cancellationToken).ConfigureAwait(false);
        try
        {
            Start(beforeWrite);
            records = WriteMember(lines);
        }
        finally
        {
            Exit();
        }

        LogWritten(records);
        return records;
    }

    /// <summary>
    /// The whole batch on the caller's thread, under the I/O gate, without crossing to the namespace thread (unless too
    /// few descriptors are open: then one crossing opens them before anything runs): the reader is drained (the next sequence),
    /// <paramref name="beforeWrite"/> runs with it (the batch's pending entries and their one fsync), then each member is
    /// written and read back in batch order, the reader drained again right before each line's write. The first
    /// member that is not fully written ends the batch write with its error as its result; nothing of a later member is
    /// written in it. The first member's lines are checked before the gate is taken (a refusal throws, nothing written); a
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
        var lineCount = 0;
        for (var m = 0; m < members.Count; m++)
        {
            lineCount += members[m]?.Count ?? 0;
        }

        await EnterAsync(lineCount, cancellationToken).ConfigureAwait(false);
        try
        {
            WriteBatch(members, beforeWrite, results);
        }
        finally
        {
            Exit();
        }

        for (var i = from; i < results.Count; i++)
        {
            if (results[i].Records is { } records)
            {
                LogWritten(records);
            }
        }
    }

    /// <summary>Drains the reader to the end of the log, on the caller's thread under the I/O gate.</summary>
    public async Task<ulong> GetNextSequenceAsync(CancellationToken cancellationToken)
    {
        await EnterAsync(0, cancellationToken).ConfigureAwait(false);
        try
        {
            var phase = InjectionProfile.Start();
            DrainReader();
            InjectionProfile.Add(InjectionPhase.KmsgDrain, phase);
            return _nextSequence;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// One crossing: on the namespace thread a descriptor of its own is opened and the ring read from its oldest record
    /// (the pending resolver at start). It shares nothing with the writes, so it takes no gate.
    /// </summary>
    public async Task<IReadOnlyList<KernelLogRecord>> ReadFromAsync(ulong fromSequence, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return await _namespace.RunAsync<IReadOnlyList<KernelLogRecord>>(() => ReadAll(fromSequence), cancellationToken).ConfigureAwait(false);
        }
        catch (HostNamespaceUnavailableException e)
        {
            throw new KernelLogUnavailableException($"The kernel log {_devicePath} is unavailable: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _descriptors.Dispose();
    }

    /// <summary>
    /// Takes the I/O gate and makes sure the reader is open and <paramref name="records"/> more records have writers
    /// (one crossing if not: <see cref="KmsgDescriptors.EnsureAsync"/>). Released by <see cref="Exit"/>.
    /// </summary>
    private async Task EnterAsync(int records, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _io.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _descriptors.EnsureAsync(records, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _io.Release();
            throw;
        }
    }

    /// <summary>Releases the I/O gate and asks for the writers this call used to be replaced in the background.</summary>
    private void Exit()
    {
        _io.Release();
        if (!_disposed)
        {
            _descriptors.RequestRefill();
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

    // ---- everything below runs under the I/O gate (ReadAll: on the namespace thread, with its own descriptor) ----

    /// <summary>Drains the reader to the end of the log, then runs <paramref name="beforeWrite"/> with the next sequence.</summary>
    private void Start(Action<ulong>? beforeWrite)
    {
        var phase = InjectionProfile.Start();
        DrainReader();
        InjectionProfile.Add(InjectionPhase.KmsgDrain, phase);
        beforeWrite?.Invoke(_nextSequence);
    }

    /// <summary>The batch write (<see cref="WriteVerifiedBatchAsync"/>), under the I/O gate; returns the number of results added.</summary>
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
                    // The reader is drained right before each line's write (WriteMember).
                    Validate(members[m]);
                }

                records = WriteMember(members[m]);
            }
            catch (Exception e)
            {
                // This member is not fully written (or nothing of it is): its outcome is recorded before anything after it
                // is written, so the batch write ends here.
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
                // Right before this line's write() the reader is drained to the log's end again and the line looked for
                // only from there: whatever others logged since the last drain (during the pending entry's fsync, or
                // after the previous line's record) was stored before this write and cannot be it — an identical line
                // of another writer there is not taken as ours, and others' records the ring overwrote there before
                // the reader got to them do not make this write's outcome unknown.
                phase = InjectionProfile.Start();
                DrainReader();
                InjectionProfile.Add(InjectionPhase.KmsgDrain, phase);
                readBack.NextWriteFrom(_nextSequence);
            }
            catch (KernelLogUnavailableException e) when (i > 0)
            {
                // This line was not written (the reader failed before it); the earlier ones are in the log.
                throw Incomplete(lines, readBack, i, outcomeUnknown: false, $"reading the kernel log before writing it failed: {e.Message}", e);
            }

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

        var writer = _descriptors.WriterForNextRecord();
        var n = LinuxSyscalls.TryWrite(writer, buffer[..length]);
        _descriptors.Wrote();
        if (n < 0)
        {
            var error = (int)-n;
            _descriptors.CloseWriter();
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
            var n = LinuxSyscalls.TryRead(_descriptors.Reader, _readBuffer);
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
                if (!LinuxSyscalls.WaitReadable(_descriptors.Reader, wait, _devicePath))
                {
                    waitedMilliseconds += wait;
                }

                continue;
            }

            var error = (int)-n;
            _descriptors.CloseReader();
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

    /// <summary>
    /// Reads every record from <paramref name="fromSequence"/> on. A caller asks from a sequence this boot's log reached
    /// (the next sequence when a pending entry was saved: record <c>fromSequence - 1</c> existed then, and the ring only
    /// drops records older than the newest), so a read that ends without one record at or after <c>fromSequence - 1</c>
    /// did not read that log — /dev/kmsg in the host's mount namespace is /dev/null or a file bound over it, whose read
    /// returns nothing — and is refused as unreadable, never taken for "nothing was written after it".
    /// </summary>
    private List<KernelLogRecord> ReadAll(ulong fromSequence)
    {
        var records = new List<KernelLogRecord>();
        var reachedTheSequence = false;
        var buffer = new byte[16 * 1024];
        var fd = KmsgDescriptors.OpenDevice(_devicePath, LinuxSyscalls.ReadOnly | LinuxSyscalls.NonBlocking);
        try
        {
            LinuxSyscalls.SeekStart(fd, _devicePath);
            while (true)
            {
                var n = LinuxSyscalls.TryRead(fd, buffer);
                if (n > 0)
                {
                    var span = buffer.AsSpan(0, (int)n);
                    if (!KmsgRecordFormat.TryParseHeader(span, out var priority, out var sequence, out var usec, out var text))
                    {
                        continue;
                    }

                    reachedTheSequence |= sequence + 1 >= fromSequence;
                    if (sequence >= fromSequence)
                    {
                        records.Add(new KernelLogRecord(sequence, usec, priority >> 3, priority & 7, KmsgRecordFormat.Unescape(text)));
                    }

                    continue;
                }

                if (n == -LinuxSyscalls.Epipe)
                {
                    continue;
                }

                if ((n == 0 || n == -LinuxSyscalls.Eagain) && !reachedTheSequence)
                {
                    throw new KernelLogUnavailableException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{_devicePath} read to its end holds no record at or after sequence {(fromSequence == 0 ? 0 : fromSequence - 1)}, which this boot's kernel log had already reached: it is not the kernel log (is /dev/null or a file bound over {_devicePath} in the host's mount namespace?)"));
                }

                if (n == 0 || n == -LinuxSyscalls.Eagain)
                {
                    return records;
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
    /// what others logged since. The reader was opened on the namespace thread (<see cref="EnterAsync"/>).
    /// </summary>
    private void DrainReader()
    {
        while (true)
        {
            var n = LinuxSyscalls.TryRead(_descriptors.Reader, _readBuffer);
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
            _descriptors.CloseReader();
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
}
