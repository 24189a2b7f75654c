using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace FaultAgent.Registry;

/// <summary>
/// A fault's kernel records and its message's bytes in one array (#14, the agent's memory, faultbytes4): a count byte, the
/// records as <see cref="PackedKernelRecord"/> values (32 bytes each), then the message's ASCII bytes — one array header
/// instead of two and no text reference per record. When every record after the first fits as deltas of it
/// (<see cref="PackedFollowingKernelRecord"/>, faultbytes5: the records of one write), those are held in 12 bytes each and
/// the count byte says so (<see cref="FollowingAsDeltas"/>): ~96 bytes for an Xid fault's two records and a 22-character
/// message, 112 with both whole, instead of 152 apart (the records' array, 104, and the message's, 48). Held when the
/// fault's line is a kept head and its message (<see cref="LineForm.HeadAndMessageBehindRecords"/>) and every record's text
/// is the line behind some of its head's first characters or a kept companion text; whether a fault is held so, and in
/// which of the two forms, follows from its values alone (and from which texts the process keeps).
/// </summary>
internal static class PackedKernelRecords
{
    /// <summary>The most records held so (an Xid fault has one to three); a fault with more keeps them as before.</summary>
    public const int MaxRecords = 16;

    /// <summary>Set in the count byte: the records after the first are held as <see cref="PackedFollowingKernelRecord"/> deltas of it.</summary>
    public const byte FollowingAsDeltas = 0x80;

    private static readonly int Size = Unsafe.SizeOf<PackedKernelRecord>();

    private static readonly int FollowingSize = Unsafe.SizeOf<PackedFollowingKernelRecord>();

    /// <summary>How many records <paramref name="packed"/> holds.</summary>
    public static int Count(byte[] packed) => packed[0] & ~FollowingAsDeltas;

    /// <summary>Whether the records after the first are held as deltas of it.</summary>
    public static bool HoldsDeltas(byte[] packed) => (packed[0] & FollowingAsDeltas) != 0;

    /// <summary>The message's ASCII bytes behind the records.</summary>
    public static ReadOnlySpan<byte> Message(byte[] packed) => packed.AsSpan(MessageStart(packed));

    /// <summary>Where the message's bytes start in <paramref name="packed"/>.</summary>
    public static int MessageStart(byte[] packed) => RecordsLength(Count(packed), HoldsDeltas(packed));

    /// <summary>Record <paramref name="index"/>'s values.</summary>
    public static PackedKernelRecord At(byte[] packed, int index)
    {
        var first = MemoryMarshal.Read<PackedKernelRecord>(packed.AsSpan(1, Size));
        if (index == 0)
        {
            return first;
        }

        return HoldsDeltas(packed)
            ? MemoryMarshal.Read<PackedFollowingKernelRecord>(packed.AsSpan(1 + Size + ((index - 1) * FollowingSize), FollowingSize)).After(first)
            : MemoryMarshal.Read<PackedKernelRecord>(packed.AsSpan(1 + (index * Size), Size));
    }

    /// <summary>Record <paramref name="index"/>'s proof: sequence, timestamp and read-back time.</summary>
    public static FaultRecordProof ProofAt(byte[] packed, int index)
    {
        var e = At(packed, index);
        return new FaultRecordProof(e.Sequence, e.TimestampMicroseconds, e.ObservedUtcTicks < 0 ? null : FaultInstants.At(e.ObservedUtcTicks, e.ObservedOffsetMinutes));
    }

    /// <summary>
    /// <paramref name="packed"/>'s records carrying <paramref name="proofs"/> (one per record, in order), with its message: the
    /// same array the records <c>with</c> those sequences, timestamps and read-back times would pack into (in the form those values give).
    /// </summary>
    public static byte[] WithProofs(byte[] packed, IReadOnlyList<FaultRecordProof> proofs)
    {
        Span<PackedKernelRecord> elements = stackalloc PackedKernelRecord[Count(packed)];
        for (var i = 0; i < elements.Length; i++)
        {
            var e = At(packed, i);
            e.Sequence = proofs[i].Sequence;
            e.TimestampMicroseconds = proofs[i].TimestampMicroseconds;
            e.ObservedUtcTicks = proofs[i].ObservedAt?.UtcTicks ?? -1;
            e.ObservedOffsetMinutes = (short)(proofs[i].ObservedAt?.TotalOffsetMinutes ?? 0);
            elements[i] = e;
        }

        return Pack(elements, Message(packed));
    }

    /// <summary>
    /// <paramref name="records"/> and <paramref name="message"/> (non-empty ASCII, behind the kept line head
    /// <paramref name="lineHead"/>) in one array, when every record fits: its level and facility a byte each, its text the
    /// line behind at most its head's length of the head's first characters, or a companion text kept in
    /// <see cref="HeldKernelTexts"/>. False for anything else (none, too many, another text), which the fault then holds as before.
    /// </summary>
    public static bool TryPack(IReadOnlyList<FaultKernelRecord>? records, ushort lineHead, ReadOnlySpan<byte> message, [NotNullWhen(true)] out byte[]? packed)
    {
        packed = null;
        if (records is not { Count: > 0 and <= MaxRecords } || lineHead is 0 or >= PackedKernelRecord.LineFlag || message.IsEmpty)
        {
            return false;
        }

        Span<PackedKernelRecord> elements = stackalloc PackedKernelRecord[records.Count];
        var head = HeldLineHeads.Of(lineHead);
        for (var i = 0; i < elements.Length; i++)
        {
            if (!TryPackOne(records[i], lineHead, head, message, out elements[i]))
            {
                return false;
            }
        }

        packed = Pack(elements, message);
        return true;
    }

    /// <summary>
    /// The array of <paramref name="elements"/> (1 to <see cref="MaxRecords"/>) and <paramref name="message"/>: the records
    /// after the first as deltas of it when every one fits (<see cref="PackedFollowingKernelRecord.TryOf"/>), else all whole.
    /// </summary>
    private static byte[] Pack(ReadOnlySpan<PackedKernelRecord> elements, ReadOnlySpan<byte> message)
    {
        Span<PackedFollowingKernelRecord> following = stackalloc PackedFollowingKernelRecord[elements.Length - 1];
        var deltas = following.Length > 0;
        for (var i = 0; deltas && i < following.Length; i++)
        {
            deltas = PackedFollowingKernelRecord.TryOf(elements[0], elements[i + 1], out following[i]);
        }

        var start = RecordsLength(elements.Length, deltas);
        var packed = new byte[start + message.Length];
        packed[0] = (byte)(elements.Length | (deltas ? FollowingAsDeltas : 0));
        if (deltas)
        {
            MemoryMarshal.Write(packed.AsSpan(1, Size), in elements[0]);
            MemoryMarshal.AsBytes(following).CopyTo(packed.AsSpan(1 + Size));
        }
        else
        {
            MemoryMarshal.AsBytes(elements).CopyTo(packed.AsSpan(1));
        }

        message.CopyTo(packed.AsSpan(start));
        return packed;
    }

    /// <summary>The count byte and <paramref name="count"/> records' bytes, the records after the first as deltas or whole.</summary>
    private static int RecordsLength(int count, bool deltas) => 1 + (deltas ? Size + ((count - 1) * FollowingSize) : count * Size);

    /// <summary>The records, built again: each equal to the one packed; the line's records share one copy of the message's bytes (<paramref name="message"/>).</summary>
    public static FaultKernelRecord[] ToRecords(byte[] packed, out byte[]? message)
    {
        message = null;
        var records = new FaultKernelRecord[Count(packed)];
        for (var i = 0; i < records.Length; i++)
        {
            var e = At(packed, i);
            if ((e.Text & PackedKernelRecord.LineFlag) != 0)
            {
                message ??= Message(packed).ToArray();
                records[i] = FaultKernelRecord.FromHeld(message, e.Head, (ushort)(e.Text & ~PackedKernelRecord.LineFlag), e.Level, e.Facility, e.Sequence, e.TimestampMicroseconds, e.ObservedUtcTicks, e.ObservedOffsetMinutes);
            }
            else
            {
                records[i] = FaultKernelRecord.FromHeld(HeldKernelTexts.Of(e.Text), 0, 0, e.Level, e.Facility, e.Sequence, e.TimestampMicroseconds, e.ObservedUtcTicks, e.ObservedOffsetMinutes);
            }
        }

        return records;
    }

    /// <summary>
    /// Whether the two hold equal records and messages as <see cref="FaultKernelRecord.Equals(FaultKernelRecord?)"/> compares
    /// records (the read-back time as an instant: its offset not compared). A text is named one way only, so equal names are equal texts.
    /// </summary>
    public static bool SameAs(byte[] mine, byte[] theirs)
    {
        // Not by their lengths: two records read back at one instant with other offsets are equal, one form holds deltas and the other not.
        if (Count(mine) != Count(theirs))
        {
            return false;
        }

        for (var i = 0; i < Count(mine); i++)
        {
            var a = At(mine, i);
            var b = At(theirs, i);
            if (a.Sequence != b.Sequence || a.TimestampMicroseconds != b.TimestampMicroseconds || a.ObservedUtcTicks != b.ObservedUtcTicks
                || a.Level != b.Level || a.Facility != b.Facility || a.Head != b.Head || a.Text != b.Text)
            {
                return false;
            }
        }

        return Message(mine).SequenceEqual(Message(theirs));
    }

    private static bool TryPackOne(FaultKernelRecord record, ushort lineHead, string head, ReadOnlySpan<byte> message, out PackedKernelRecord element)
    {
        element = default;
        if (record is null || record.Level is < 0 or > byte.MaxValue || record.Facility is < 0 or > byte.MaxValue)
        {
            return false;
        }

        ushort repeated;
        ushort text;
        if (record.HeldLineHead == lineHead && record.HeldBody is byte[] body && record.HeldHead <= head.Length && body.AsSpan().SequenceEqual(message))
        {
            // The line as the fault holds it (FaultKernelRecord.RepeatingLine): the same text, named without reading it.
            repeated = (ushort)record.HeldHead;
            text = (ushort)(PackedKernelRecord.LineFlag | lineHead);
        }
        else
        {
            var chars = record.HeldBody is string whole && record.HeldHead == 0 && record.HeldLineHead == 0 ? whole : record.Text;
            if (RepeatsLine(chars, head, message, out repeated))
            {
                text = (ushort)(PackedKernelRecord.LineFlag | lineHead);
            }
            else if (HeldKernelTexts.TryIndex(chars, out text))
            {
                repeated = 0;
            }
            else
            {
                return false;
            }
        }

        element = new PackedKernelRecord
        {
            Sequence = record.Sequence,
            TimestampMicroseconds = record.TimestampMicroseconds,
            ObservedUtcTicks = record.ObservedUtcTicks,
            ObservedOffsetMinutes = record.ObservedOffsetMinutes,
            Level = (byte)record.Level,
            Facility = (byte)record.Facility,
            Head = repeated,
            Text = text,
        };
        return true;
    }

    /// <summary>Whether <paramref name="text"/> is <paramref name="repeated"/> (0 to its length) first characters of <paramref name="head"/>, the head, then the message.</summary>
    private static bool RepeatsLine(string? text, string head, ReadOnlySpan<byte> message, out ushort repeated)
    {
        repeated = 0;
        if (text is null)
        {
            return false;
        }

        var count = text.Length - head.Length - message.Length;
        if (count < 0 || count > head.Length
            || !text.AsSpan(0, count).SequenceEqual(head.AsSpan(0, count))
            || !text.AsSpan(count, head.Length).SequenceEqual(head)
            || !Ascii.Equals(message, text.AsSpan(count + head.Length)))
        {
            return false;
        }

        repeated = (ushort)count;
        return true;
    }
}
