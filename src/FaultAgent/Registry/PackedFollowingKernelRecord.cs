using System.Runtime.InteropServices;

namespace FaultAgent.Registry;

/// <summary>
/// A kernel record after a fault's first one in its <see cref="PackedKernelRecords"/> array, held as deltas of the first
/// (#14, the agent's memory, faultbytes5): 12 bytes instead of a <see cref="PackedKernelRecord"/>'s 32 — its sequence and
/// timestamp as what they add to the first's, its read-back time the first's. Used when every record after the first fits
/// (<see cref="TryOf"/>: the records of one write, read back at one instant, written one after the other); else every record is held whole.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct PackedFollowingKernelRecord
{
    /// <summary>What the sequence adds to the first record's (modulo 2^64).</summary>
    public ushort SequenceDelta;

    /// <summary>What the timestamp adds to the first record's, in microseconds (modulo 2^64).</summary>
    public uint TimestampDelta;
    public byte Level;
    public byte Facility;
    public ushort Head;
    public ushort Text;

    /// <summary>
    /// <paramref name="record"/> as deltas of <paramref name="first"/>, when it was read back at the same instant and offset
    /// (both none too), its sequence within 65,535 after the first's and its timestamp within 2^32 - 1 µs after it.
    /// </summary>
    public static bool TryOf(in PackedKernelRecord first, in PackedKernelRecord record, out PackedFollowingKernelRecord following)
    {
        var sequenceDelta = unchecked(record.Sequence - first.Sequence);
        var timestampDelta = unchecked(record.TimestampMicroseconds - first.TimestampMicroseconds);
        if (record.ObservedUtcTicks != first.ObservedUtcTicks || record.ObservedOffsetMinutes != first.ObservedOffsetMinutes
            || sequenceDelta > ushort.MaxValue || timestampDelta > uint.MaxValue)
        {
            following = default;
            return false;
        }

        following = new PackedFollowingKernelRecord
        {
            SequenceDelta = (ushort)sequenceDelta,
            TimestampDelta = (uint)timestampDelta,
            Level = record.Level,
            Facility = record.Facility,
            Head = record.Head,
            Text = record.Text,
        };
        return true;
    }

    /// <summary>The record these deltas hold behind <paramref name="first"/>: the one <see cref="TryOf"/> was given.</summary>
    public readonly PackedKernelRecord After(in PackedKernelRecord first) => new()
    {
        Sequence = unchecked(first.Sequence + SequenceDelta),
        TimestampMicroseconds = unchecked(first.TimestampMicroseconds + TimestampDelta),
        ObservedUtcTicks = first.ObservedUtcTicks,
        ObservedOffsetMinutes = first.ObservedOffsetMinutes,
        Level = Level,
        Facility = Facility,
        Head = Head,
        Text = Text,
    };
}
