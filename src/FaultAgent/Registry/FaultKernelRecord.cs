using System.Text;

namespace FaultAgent.Registry;

/// <summary>
/// One record written for a fault, with the kernel's proof: sequence and timestamp as read back from /dev/kmsg.
/// On a dry run or a not-yet-written plan, <see cref="Sequence"/> and <see cref="TimestampMicroseconds"/> are 0.
/// </summary>
/// <remarks>
/// The Xid/SXid record's text is the fault's line behind its own syslog identifier (<c>NVRM: NVRM: Xid ...</c>, see
/// <see cref="Injection.JournaldIdentifier"/>). A record made by <see cref="RepeatingLine(string)"/> keeps the line's instance and
/// the length of the head it repeats, not a second copy of the line (#14, the agent's memory: ~200 bytes per fault), and
/// builds <see cref="Text"/> when read; one made by <see cref="RepeatingLine(HeldLine)"/> keeps the bytes the fault holds
/// an ASCII line as (<see cref="HeldLine"/>). Records compare by their text, however it is held.
/// </remarks>
public sealed record FaultKernelRecord(
    string Text,
    int Level,
    int Facility,
    ulong Sequence,
    ulong TimestampMicroseconds,
    DateTimeOffset? ObservedAt)
{
    // Text is _body, or (_head > 0) the first _head characters of _body followed by all of _body; a record repeating a line
    // held as ASCII (HeldLine) holds the line's bytes in _asciiBody instead, and _body is null.
    private readonly string? _body = Text;
    private readonly byte[]? _asciiBody;
    private readonly int _head;

    // ObservedAt: its UTC ticks and offset in minutes (ticks -1: null) instead of a DateTimeOffset? (16 bytes less per record).
    private readonly long _observedUtcTicks = ObservedAt?.UtcTicks ?? -1;
    private readonly short _observedOffsetMinutes = (short)(ObservedAt?.TotalOffsetMinutes ?? 0);

    /// <summary><paramref name="original"/> holding its text as <paramref name="head"/> characters of <paramref name="body"/>, then <paramref name="body"/>.</summary>
    private FaultKernelRecord(FaultKernelRecord original, string body, int head)
        : this(original)
    {
        _body = body;
        _head = head;
    }

    /// <summary><paramref name="original"/> holding its text as <paramref name="head"/> characters of <paramref name="ascii"/>, then <paramref name="ascii"/>.</summary>
    private FaultKernelRecord(FaultKernelRecord original, byte[] ascii, int head)
        : this(original)
    {
        _body = null;
        _asciiBody = ascii;
        _head = head;
    }

    /// <summary>A record holding its text as <see cref="HeldBody"/> and <see cref="HeldHead"/> give it (<see cref="HeldKernelRecord.ToRecord"/>).</summary>
    private FaultKernelRecord(object? body, int head, int level, int facility, ulong sequence, ulong timestampMicroseconds, long observedUtcTicks, short observedOffsetMinutes)
        : this(null!, level, facility, sequence, timestampMicroseconds, null)
    {
        _body = body as string;
        _asciiBody = body as byte[];
        _head = head;
        _observedUtcTicks = observedUtcTicks;
        _observedOffsetMinutes = observedOffsetMinutes;
    }

    /// <summary>How the text is held: the string or the ASCII bytes behind <see cref="HeldHead"/> of its characters (null for a null text).</summary>
    internal object? HeldBody => _asciiBody ?? (object?)_body;

    /// <summary>How many characters of <see cref="HeldBody"/> precede it in <see cref="Text"/> (0: the text is the body).</summary>
    internal int HeldHead => _head;

    /// <summary><see cref="ObservedAt"/>'s UTC ticks, -1 when it is null.</summary>
    internal long ObservedUtcTicks => _observedUtcTicks;

    /// <summary><see cref="ObservedAt"/>'s offset in minutes.</summary>
    internal short ObservedOffsetMinutes => _observedOffsetMinutes;

    /// <summary>The record whose text is held as <paramref name="body"/> and <paramref name="head"/>, its read-back time as UTC ticks (-1: null) and an offset.</summary>
    internal static FaultKernelRecord FromHeld(object? body, int head, int level, int facility, ulong sequence, ulong timestampMicroseconds, long observedUtcTicks, short observedOffsetMinutes) =>
        new(body, head, level, facility, sequence, timestampMicroseconds, observedUtcTicks, observedOffsetMinutes);

    /// <summary>The record's text, first in the serialized record as the positional record had it.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Text
    {
        get => _asciiBody is { } ascii ? AsciiText(ascii, _head) : _head == 0 ? _body! : string.Concat(_body.AsSpan(0, _head), _body);
        init
        {
            _body = value;
            _asciiBody = null;
            _head = 0;
        }
    }

    /// <summary>When the agent read the record back; null on a dry run or a not-yet-written plan.</summary>
    /// <remarks>Held as UTC ticks and an offset (#14, the agent's memory): the same instant and offset are read back.</remarks>
    public DateTimeOffset? ObservedAt
    {
        get => _observedUtcTicks < 0
            ? null
            : FaultInstants.At(_observedUtcTicks, _observedOffsetMinutes);
        init
        {
            _observedUtcTicks = value?.UtcTicks ?? -1;
            _observedOffsetMinutes = (short)(value?.TotalOffsetMinutes ?? 0);
        }
    }

    /// <summary>
    /// This record holding <paramref name="line"/> instead of its own copy when its text is the line behind the line's
    /// first token (<c>"NVRM: " + line</c>); else this record itself.
    /// </summary>
    public FaultKernelRecord RepeatingLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (_body is not { } text)
        {
            return this;
        }

        var head = text.Length - line.Length;
        if (_head != 0 || head <= 0 || head > line.Length || !text.AsSpan(head).SequenceEqual(line) || !text.AsSpan(0, head).SequenceEqual(line.AsSpan(0, head)))
        {
            return this;
        }

        return new FaultKernelRecord(this, line, head);
    }

    /// <summary>
    /// This record holding the fault's line as the fault holds it (<see cref="FaultRecord.HeldLine"/>: an ASCII line's bytes)
    /// when its text is the line behind the line's first token; else as <see cref="RepeatingLine(string)"/>.
    /// </summary>
    internal FaultKernelRecord RepeatingLine(HeldLine line)
    {
        if (line.AsciiBytes is not { } ascii)
        {
            return line.IsNull ? this : RepeatingLine(line.ToString());
        }

        if (_body is not { } text || _head != 0)
        {
            return this;
        }

        var head = text.Length - ascii.Length;
        if (head <= 0 || head > ascii.Length || !Ascii.Equals(ascii, text.AsSpan(head)) || !Ascii.Equals(ascii.AsSpan(0, head), text.AsSpan(0, head)))
        {
            return this;
        }

        return new FaultKernelRecord(this, ascii, head);
    }

    public bool Equals(FaultKernelRecord? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && Level == other.Level
            && Facility == other.Facility
            && Sequence == other.Sequence
            && TimestampMicroseconds == other.TimestampMicroseconds
            && ObservedAt == other.ObservedAt
            && SameText(other));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        var length = TextLength;
        for (var i = 0; i < length; i++)
        {
            hash.Add(CharAt(i));
        }

        hash.Add(Level);
        hash.Add(Facility);
        hash.Add(Sequence);
        hash.Add(TimestampMicroseconds);
        hash.Add(ObservedAt);
        return hash.ToHashCode();
    }

    private bool SameText(FaultKernelRecord other)
    {
        if (_head == other._head && _asciiBody is null && other._asciiBody is null)
        {
            return string.Equals(_body, other._body, StringComparison.Ordinal);
        }

        var length = TextLength;
        if (length != other.TextLength)
        {
            return false;
        }

        for (var i = 0; i < length; i++)
        {
            if (CharAt(i) != other.CharAt(i))
            {
                return false;
            }
        }

        return true;
    }

    private int TextLength => _head + (_asciiBody?.Length ?? _body!.Length);

    private char CharAt(int index) => BodyAt(index < _head ? index : index - _head);

    private char BodyAt(int index) => _asciiBody is { } ascii ? (char)ascii[index] : _body![index];

    private static string AsciiText(byte[] ascii, int head) =>
        string.Create(head + ascii.Length, (ascii, head), static (chars, held) =>
        {
            Encoding.ASCII.GetChars(held.ascii.AsSpan(0, held.head), chars);
            Encoding.ASCII.GetChars(held.ascii, chars[held.head..]);
        });
}
