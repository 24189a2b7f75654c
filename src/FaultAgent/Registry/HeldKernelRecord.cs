namespace FaultAgent.Registry;

/// <summary>
/// One <see cref="FaultKernelRecord"/> as an element of a fault's <see cref="HeldKernelRecords"/> (#14, the agent's memory):
/// its values in 40 bytes of an array the fault holds, instead of an object of its own (72 bytes) behind an array of
/// references. The text is held as the record held it (its string, or the fault line's ASCII bytes, behind the length of the
/// head it repeats), so <see cref="ToRecord"/> gives back a record equal to the one held, text instance included.
/// </summary>
internal readonly struct HeldKernelRecord
{
    // FaultKernelRecord.HeldBody: its text, or the line it repeats (string or ASCII bytes) behind _head of its characters; with
    // a kept line head (_lineHead, HeldLineHeads), the message's ASCII bytes behind _head characters of that head and the head.
    private readonly object? _body;
    private readonly ulong _sequence;
    private readonly ulong _timestampMicroseconds;

    // ObservedAt: UTC ticks (-1: null) and the offset in minutes, as FaultKernelRecord holds it.
    private readonly long _observedUtcTicks;
    private readonly ushort _head;
    private readonly ushort _lineHead;
    private readonly short _observedOffsetMinutes;
    private readonly byte _level;
    private readonly byte _facility;

    private HeldKernelRecord(FaultKernelRecord record)
    {
        _body = record.HeldBody;
        _head = (ushort)record.HeldHead;
        _lineHead = record.HeldLineHead;
        _level = (byte)record.Level;
        _facility = (byte)record.Facility;
        _sequence = record.Sequence;
        _timestampMicroseconds = record.TimestampMicroseconds;
        _observedUtcTicks = record.ObservedUtcTicks;
        _observedOffsetMinutes = record.ObservedOffsetMinutes;
    }

    public ulong Sequence => _sequence;

    /// <summary>The kernel's proof as a <c>recorded</c> delta carries it: sequence, timestamp and read-back time.</summary>
    public FaultRecordProof Proof => new(_sequence, _timestampMicroseconds, _observedUtcTicks < 0 ? null : FaultInstants.At(_observedUtcTicks, _observedOffsetMinutes));

    /// <summary>
    /// <paramref name="record"/> as an element, when its level and facility fit a byte and its repeated head 16 bits (every
    /// record the agent writes: syslog levels 0-7, facility 1); false for any other, which the fault then holds as given.
    /// </summary>
    public static bool TryHold(FaultKernelRecord record, out HeldKernelRecord held)
    {
        if (record is null || record.Level is < 0 or > byte.MaxValue || record.Facility is < 0 or > byte.MaxValue || record.HeldHead > ushort.MaxValue)
        {
            held = default;
            return false;
        }

        held = new HeldKernelRecord(record);
        return true;
    }

    /// <summary>The record held: equal to the one given, its text held by the same instance.</summary>
    public FaultKernelRecord ToRecord() =>
        FaultKernelRecord.FromHeld(_body, _head, _lineHead, _level, _facility, _sequence, _timestampMicroseconds, _observedUtcTicks, _observedOffsetMinutes);

    /// <summary>Whether the two records are equal as <see cref="FaultKernelRecord.Equals(FaultKernelRecord?)"/> compares them (text by its characters, the read-back time as an instant).</summary>
    public bool SameAs(in HeldKernelRecord other) =>
        _level == other._level
        && _facility == other._facility
        && _sequence == other._sequence
        && _timestampMicroseconds == other._timestampMicroseconds
        && _observedUtcTicks == other._observedUtcTicks
        && ((ReferenceEquals(_body, other._body) && _head == other._head && _lineHead == other._lineHead) || ToRecord().Equals(other.ToRecord()));
}
