namespace FaultAgent.Registry;

/// <summary>
/// One record written for a fault, with the kernel's proof: sequence and timestamp as read back from /dev/kmsg.
/// On a dry run or a not-yet-written plan, <see cref="Sequence"/> and <see cref="TimestampMicroseconds"/> are 0.
/// </summary>
/// <remarks>
/// The Xid/SXid record's text is the fault's line behind its own syslog identifier (<c>NVRM: NVRM: Xid ...</c>, see
/// <see cref="Injection.JournaldIdentifier"/>). A record made by <see cref="RepeatingLine"/> keeps the line's instance and
/// the length of the head it repeats, not a second copy of the line (#14, the agent's memory: ~200 bytes per fault), and
/// builds <see cref="Text"/> when read. Records compare by their text, however it is held.
/// </remarks>
public sealed record FaultKernelRecord(
    string Text,
    int Level,
    int Facility,
    ulong Sequence,
    ulong TimestampMicroseconds,
    DateTimeOffset? ObservedAt)
{
    // Text is _body, or (_head > 0) the first _head characters of _body followed by all of _body.
    private readonly string _body = Text;
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

    /// <summary>The record's text, first in the serialized record as the positional record had it.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Text
    {
        get => _head == 0 ? _body : string.Concat(_body.AsSpan(0, _head), _body);
        init
        {
            _body = value;
            _head = 0;
        }
    }

    /// <summary>When the agent read the record back; null on a dry run or a not-yet-written plan.</summary>
    /// <remarks>Held as UTC ticks and an offset (#14, the agent's memory): the same instant and offset are read back.</remarks>
    public DateTimeOffset? ObservedAt
    {
        get => _observedUtcTicks < 0
            ? null
            : new DateTimeOffset(_observedUtcTicks + (_observedOffsetMinutes * TimeSpan.TicksPerMinute), TimeSpan.FromMinutes(_observedOffsetMinutes));
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
        var text = _body;
        var head = text.Length - line.Length;
        if (_head != 0 || head <= 0 || head > line.Length || !text.AsSpan(head).SequenceEqual(line) || !text.AsSpan(0, head).SequenceEqual(line.AsSpan(0, head)))
        {
            return this;
        }

        return new FaultKernelRecord(this, line, head);
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
        var length = _head + _body.Length;
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
        if (_head == other._head)
        {
            return string.Equals(_body, other._body, StringComparison.Ordinal);
        }

        var length = _head + _body.Length;
        if (length != other._head + other._body.Length)
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

    private char CharAt(int index) => index < _head ? _body[index] : _body[index - _head];
}
