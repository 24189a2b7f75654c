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
/// builds <see cref="Text"/> when read; one made by <see cref="RepeatingLine(HeldLine)"/> keeps the line as the fault holds
/// it (<see cref="HeldLine"/>: an ASCII line's bytes, or a kept head's index and the message's bytes). Records compare by
/// their text, however it is held.
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
    // held as ASCII (HeldLine) holds the line's bytes in _asciiBody instead, and _body is null; one repeating a line held
    // behind a kept head (_lineHead > 0, HeldLineHeads) is the first _head characters of that head, the head, then _asciiBody.
    private readonly string? _body = Text;
    private readonly byte[]? _asciiBody;
    private readonly int _head;
    private readonly ushort _lineHead;

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

    /// <summary>
    /// <paramref name="original"/> holding its text as <paramref name="head"/> characters of <paramref name="ascii"/>, then
    /// <paramref name="ascii"/>; or, with a kept line head <paramref name="lineHead"/>, <paramref name="head"/> characters of
    /// that head, the head, then <paramref name="ascii"/>.
    /// </summary>
    private FaultKernelRecord(FaultKernelRecord original, byte[] ascii, int head, ushort lineHead)
        : this(original)
    {
        _body = null;
        _asciiBody = ascii;
        _head = head;
        _lineHead = lineHead;
    }

    /// <summary>A record holding its text as <see cref="HeldBody"/>, <see cref="HeldHead"/> and <see cref="HeldLineHead"/> give it (<see cref="HeldKernelRecord.ToRecord"/>).</summary>
    private FaultKernelRecord(object? body, int head, ushort lineHead, int level, int facility, ulong sequence, ulong timestampMicroseconds, long observedUtcTicks, short observedOffsetMinutes)
        : this(null!, level, facility, sequence, timestampMicroseconds, null)
    {
        _body = body as string;
        _asciiBody = body as byte[];
        _head = head;
        _lineHead = lineHead;
        _observedUtcTicks = observedUtcTicks;
        _observedOffsetMinutes = observedOffsetMinutes;
    }

    /// <summary>How the text is held: the string or the ASCII bytes behind <see cref="HeldHead"/> of its characters (null for a null text).</summary>
    internal object? HeldBody => _asciiBody ?? (object?)_body;

    /// <summary>How many characters of <see cref="HeldBody"/> (or of the kept line head, <see cref="HeldLineHead"/>) precede it in <see cref="Text"/> (0: the text is the body).</summary>
    internal int HeldHead => _head;

    /// <summary>The kept line head (<see cref="HeldLineHeads"/>) between the repeated characters and <see cref="HeldBody"/>; 0 for none.</summary>
    internal ushort HeldLineHead => _lineHead;

    /// <summary><see cref="ObservedAt"/>'s UTC ticks, -1 when it is null.</summary>
    internal long ObservedUtcTicks => _observedUtcTicks;

    /// <summary><see cref="ObservedAt"/>'s offset in minutes.</summary>
    internal short ObservedOffsetMinutes => _observedOffsetMinutes;

    /// <summary>The record whose text is held as <paramref name="body"/> and <paramref name="head"/>, its read-back time as UTC ticks (-1: null) and an offset.</summary>
    internal static FaultKernelRecord FromHeld(object? body, int head, ushort lineHead, int level, int facility, ulong sequence, ulong timestampMicroseconds, long observedUtcTicks, short observedOffsetMinutes) =>
        new(body, head, lineHead, level, facility, sequence, timestampMicroseconds, observedUtcTicks, observedOffsetMinutes);

    /// <summary>The record's text, first in the serialized record as the positional record had it.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Text
    {
        get => _lineHead != 0 ? HeadedText(HeldLineHeads.Of(_lineHead), _head, _asciiBody!)
            : _asciiBody is { } ascii ? AsciiText(ascii, _head)
            : _head == 0 ? _body! : string.Concat(_body.AsSpan(0, _head), _body);
        init
        {
            _body = value;
            _asciiBody = null;
            _head = 0;
            _lineHead = 0;
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

        if (_body is not { } text || _head != 0 || _asciiBody is not null || _lineHead != 0)
        {
            return this;
        }

        if (line.Head != 0)
        {
            // The line is a kept head and the message's bytes: the text is the head's first characters, the head, the message.
            var lineHead = HeldLineHeads.Of(line.Head);
            var repeated = text.Length - lineHead.Length - ascii.Length;
            if (repeated <= 0 || repeated > lineHead.Length
                || !text.AsSpan(0, repeated).SequenceEqual(lineHead.AsSpan(0, repeated))
                || !text.AsSpan(repeated, lineHead.Length).SequenceEqual(lineHead)
                || !Ascii.Equals(ascii, text.AsSpan(repeated + lineHead.Length)))
            {
                return this;
            }

            return new FaultKernelRecord(this, ascii, repeated, line.Head);
        }

        var head = text.Length - ascii.Length;
        if (head <= 0 || head > ascii.Length || !Ascii.Equals(ascii, text.AsSpan(head)) || !Ascii.Equals(ascii.AsSpan(0, head), text.AsSpan(0, head)))
        {
            return this;
        }

        return new FaultKernelRecord(this, ascii, head, 0);
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
        if (_head == other._head && _asciiBody is null && other._asciiBody is null && _lineHead == 0 && other._lineHead == 0)
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

    private int TextLength => _head + (_lineHead != 0 ? HeldLineHeads.Of(_lineHead).Length : 0) + (_asciiBody?.Length ?? _body!.Length);

    private char CharAt(int index)
    {
        if (_lineHead == 0)
        {
            return BodyAt(index < _head ? index : index - _head);
        }

        var lineHead = HeldLineHeads.Of(_lineHead);
        return index < _head ? lineHead[index]
            : index < _head + lineHead.Length ? lineHead[index - _head]
            : (char)_asciiBody![index - _head - lineHead.Length];
    }

    private char BodyAt(int index) => _asciiBody is { } ascii ? (char)ascii[index] : _body![index];

    private static string HeadedText(string lineHead, int repeated, byte[] ascii) =>
        string.Create(repeated + lineHead.Length + ascii.Length, (lineHead, repeated, ascii), static (chars, held) =>
        {
            held.lineHead.AsSpan(0, held.repeated).CopyTo(chars);
            held.lineHead.AsSpan().CopyTo(chars[held.repeated..]);
            Encoding.ASCII.GetChars(held.ascii, chars[(held.repeated + held.lineHead.Length)..]);
        });

    private static string AsciiText(byte[] ascii, int head) =>
        string.Create(head + ascii.Length, (ascii, head), static (chars, held) =>
        {
            Encoding.ASCII.GetChars(held.ascii.AsSpan(0, held.head), chars);
            Encoding.ASCII.GetChars(held.ascii, chars[held.head..]);
        });
}
