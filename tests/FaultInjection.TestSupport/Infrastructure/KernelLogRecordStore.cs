using System.Text;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// The records a <see cref="KernelLogRecorder"/> read, in the order read (sequences ascending): one writer (the reader
/// thread) appends without allocating per record — each record's fields in a slot of a fixed-size array, its text's bytes
/// copied into 1 MiB blocks — and publishes the count last, so readers on other threads see a stable prefix without a
/// lock on the reader's path. /dev/kmsg escapes every byte outside printable ASCII (\xNN), so the text is ASCII.
/// </summary>
internal sealed class KernelLogRecordStore
{
    private const int SlotsPerBlock = 16 * 1024;
    private const int TextBlockBytes = 1024 * 1024;
    private readonly List<Slot[]> _slots = [];
    private byte[] _currentText = [];
    private Slot[] _currentSlots = [];
    private int _count;
    private int _textOffset;

    /// <summary>Records appended and published so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Appends one record; only the reader thread calls it.</summary>
    public void Append(ulong sequence, int priority, ulong microseconds, ReadOnlySpan<byte> text)
    {
        if (_textOffset + text.Length > _currentText.Length)
        {
            _currentText = new byte[Math.Max(TextBlockBytes, text.Length)];
            _textOffset = 0;
        }

        var index = _count;
        if (index % SlotsPerBlock == 0)
        {
            _currentSlots = new Slot[SlotsPerBlock];
            lock (_slots)
            {
                _slots.Add(_currentSlots);
            }
        }

        text.CopyTo(_currentText.AsSpan(_textOffset));
        _currentSlots[index % SlotsPerBlock] = new Slot(sequence, priority, microseconds, _currentText, _textOffset, text.Length);
        _textOffset += text.Length;
        Volatile.Write(ref _count, index + 1);
    }

    /// <summary>The sequence of the record at <paramref name="index"/> (below <see cref="Count"/>).</summary>
    public ulong SequenceAt(int index) => SlotAt(index).Sequence;

    /// <summary>The record at <paramref name="index"/> (below <see cref="Count"/>).</summary>
    public RecordedKernelRecord RecordAt(int index)
    {
        var slot = SlotAt(index);
        return new RecordedKernelRecord(slot.Sequence, slot.Priority >> 3, slot.Priority & 7, slot.Microseconds, Encoding.ASCII.GetString(slot.Block, slot.Offset, slot.Length));
    }

    /// <summary>Whether the text of the record at <paramref name="index"/> contains <paramref name="ascii"/>.</summary>
    public bool TextContains(int index, ReadOnlySpan<byte> ascii)
    {
        var slot = SlotAt(index);
        return slot.Block.AsSpan(slot.Offset, slot.Length).IndexOf(ascii) >= 0;
    }

    /// <summary>Whether the text of the record at <paramref name="index"/> is exactly <paramref name="ascii"/>.</summary>
    public bool TextEquals(int index, ReadOnlySpan<byte> ascii)
    {
        var slot = SlotAt(index);
        return slot.Block.AsSpan(slot.Offset, slot.Length).SequenceEqual(ascii);
    }

    /// <summary>The index of the record with <paramref name="sequence"/> among the first <paramref name="count"/>, or -1.</summary>
    public int IndexOf(ulong sequence, int count)
    {
        var (low, high) = (0, count - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var found = SequenceAt(middle);
            if (found == sequence)
            {
                return middle;
            }

            (low, high) = found < sequence ? (middle + 1, high) : (low, middle - 1);
        }

        return -1;
    }

    private Slot SlotAt(int index)
    {
        lock (_slots)
        {
            return _slots[index / SlotsPerBlock][index % SlotsPerBlock];
        }
    }

    private readonly record struct Slot(ulong Sequence, int Priority, ulong Microseconds, byte[] Block, int Offset, int Length);
}
