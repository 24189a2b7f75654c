namespace FaultAgent.Injection;

/// <summary>
/// Tells OUR records apart from identical ones when reading the kernel log back. The lines are written in order, each
/// only after the one before was found, starting when the kernel's next sequence was <c>expectedFrom</c>. A record is
/// ours only if it is the first record, at or after that sequence and after the previous line's match, with exactly the
/// line's text, level and the user facility — and only if the reader saw EVERY sequence from <c>expectedFrom</c> up to
/// it. A jump in the sequence numbers (the ring overwrote records before they were read: a reader overrun, or a start
/// after the records rotated out) means one of the missing records could have been ours: then an identical record
/// after the gap proves nothing, and the outcome is <see cref="ReadBackOutcome.Unknown"/>.
/// </summary>
public sealed class KernelRecordReadBack
{
    /// <summary>The facility the kernel gives every record written from user space (LOG_USER).</summary>
    public const int UserFacility = 1;

    private readonly List<KernelLogRecord> _matched = [];
    private IReadOnlyList<KernelLogLine> _lines;
    private ulong _nextSequence;

    public KernelRecordReadBack(IReadOnlyList<KernelLogLine> lines, ulong expectedFrom)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _lines = lines;
        _nextSequence = expectedFrom;
        ExpectedFrom = expectedFrom;
    }

    /// <summary>One to be <see cref="Reset"/> before each write (the kernel log keeps one for every write, used under its I/O gate).</summary>
    internal KernelRecordReadBack()
        : this([], 0)
    {
    }

    /// <summary>Starts over for <paramref name="lines"/> written from <paramref name="expectedFrom"/> on, reusing this instance.</summary>
    internal void Reset(IReadOnlyList<KernelLogLine> lines, ulong expectedFrom)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _lines = lines;
        _matched.Clear();
        _nextSequence = expectedFrom;
        ExpectedFrom = expectedFrom;
        SawGap = false;
        GapAt = 0;
    }

    /// <summary>
    /// The reader was drained up to <paramref name="nextSequence"/> right before the next line's write() (the log's
    /// next sequence then): every record below it was stored before that write, so none of them can be the line, and
    /// records of other writers among them that the ring overwrote before they were read prove nothing about it. The
    /// line is looked for from there on; a gap BELOW it is no gap in what could be ours.
    /// </summary>
    internal void NextWriteFrom(ulong nextSequence)
    {
        if (!SawGap && !IsComplete && nextSequence > _nextSequence)
        {
            _nextSequence = nextSequence;
        }
    }

    /// <summary>
    /// No record at or after <paramref name="bound"/> can be ours (an earlier life's pending entry: its records were all
    /// written before it), and the reader's next record is at <paramref name="nextRecordSequence"/> (at or after it): the
    /// lines are looked for no further. Sequences the reader missed below the bound could have held the next line (a
    /// gap); the ones from the bound on could not.
    /// </summary>
    public void EndBefore(ulong bound, ulong nextRecordSequence)
    {
        var missedUpTo = Math.Min(bound, nextRecordSequence);
        if (!SawGap && !IsComplete && missedUpTo > _nextSequence)
        {
            SawGap = true;
            GapAt = _nextSequence;
        }
    }

    /// <summary>The kernel's next sequence number when the write started: no record below it can be ours.</summary>
    public ulong ExpectedFrom { get; private set; }

    /// <summary>Our records found so far, in line order.</summary>
    public IReadOnlyList<KernelLogRecord> Matched => _matched;

    /// <summary>Index of the line looked for next (= <see cref="Matched"/>.Count).</summary>
    public int Next => _matched.Count;

    public bool IsComplete => _matched.Count == _lines.Count;

    /// <summary>Set once sequences were missed while a line was still unmatched: nothing after can prove a line ours.</summary>
    public bool SawGap { get; private set; }

    /// <summary>The first sequence the reader missed (valid when <see cref="SawGap"/>).</summary>
    public ulong GapAt { get; private set; }

    /// <summary>
    /// Feeds the next record the reader returned (sequences increasing), its text as /dev/kmsg shows it (escaped: an
    /// interior newline reads <c>\x0a</c>). Returns true when it was our next line.
    /// </summary>
    public bool Observe(ulong sequence, int facility, int level, ReadOnlySpan<byte> escapedText) => Observe(sequence, facility, level, escapedText, 0);

    /// <summary>Feeds a record the reader returned, with the kernel's timestamp (microseconds since boot) kept on a match.</summary>
    internal bool Observe(ulong sequence, int facility, int level, ReadOnlySpan<byte> escapedText, ulong timestampMicroseconds) =>
        Observe(sequence, facility, level, escapedText, null, timestampMicroseconds, null);

    /// <summary>Feeds a record already parsed (text unescaped).</summary>
    public bool Observe(KernelLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Observe(record.Sequence, record.Facility, record.Level, default, record.Text, record.TimestampMicroseconds, record);
    }

    private bool Observe(ulong sequence, int facility, int level, ReadOnlySpan<byte> escapedText, string? unescapedText, ulong timestampMicroseconds, KernelLogRecord? parsed)
    {
        if (sequence < ExpectedFrom || sequence < _nextSequence || IsComplete)
        {
            // Older than the write (or already passed), or nothing left to find.
            if (sequence >= _nextSequence)
            {
                _nextSequence = sequence + 1;
            }

            return false;
        }

        if (sequence > _nextSequence && !SawGap)
        {
            SawGap = true;
            GapAt = _nextSequence;
        }

        _nextSequence = sequence + 1;
        if (SawGap)
        {
            return false;
        }

        var line = _lines[_matched.Count];
        var sameText = unescapedText is null ? EscapedEquals(escapedText, line.Text) : unescapedText == line.Text;
        if (facility != UserFacility || level != line.Level || !sameText)
        {
            return false;
        }

        _matched.Add(parsed ?? new KernelLogRecord(sequence, timestampMicroseconds, facility, level, line.Text));
        return true;
    }

    /// <summary>
    /// True when <paramref name="escaped"/> is <paramref name="text"/> as /dev/kmsg shows it
    /// (<see cref="KernelLogText.KmsgEscaped"/>, ASCII), compared in place: nothing is encoded or allocated per record.
    /// </summary>
    private static bool EscapedEquals(ReadOnlySpan<byte> escaped, string text)
    {
        var at = 0;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                if (!escaped[at..].StartsWith("\\x0a"u8))
                {
                    return false;
                }

                at += 4;
                continue;
            }

            if (at >= escaped.Length || escaped[at] != (c < 128 ? (byte)c : (byte)'?'))
            {
                return false;
            }

            at++;
        }

        return at == escaped.Length;
    }

    /// <summary>What the records seen so far prove, once the reader has nothing more.</summary>
    public ReadBackOutcome Outcome => IsComplete ? ReadBackOutcome.Verified : SawGap ? ReadBackOutcome.Unknown : ReadBackOutcome.NotFound;
}
