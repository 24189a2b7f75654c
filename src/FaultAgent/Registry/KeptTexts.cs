using System.Collections.Concurrent;

namespace FaultAgent.Registry;

/// <summary>
/// Texts kept once per process and named by a two-byte index (#14, the agent's memory): the line heads
/// (<see cref="HeldLineHeads"/>) and the companion records' texts (<see cref="HeldKernelTexts"/>) the registry's faults
/// hold. An index, once given, names the same text for the life of the process; at most a capacity of texts of at most a
/// length are kept, so callers cannot grow it without bound; past that a text has no index.
/// </summary>
internal sealed class KeptTexts
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, ushort> _indexes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ushort>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private readonly int _capacity;
    private readonly int _maxLength;

    // Index 0 names no text; a new index is written here before it is published in _indexes.
    private string[] _texts = new string[16];

    public KeptTexts(int capacity, int maxLength)
    {
        _capacity = capacity;
        _maxLength = maxLength;
        _byChars = _indexes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The text <paramref name="index"/> names (1 or more: an index <see cref="TryIndex"/> gave).</summary>
    public string Of(ushort index) => Volatile.Read(ref _texts)[index];

    /// <summary>
    /// The index of the text <paramref name="chars"/> spells: the kept one, or a new one while there is room (kept as
    /// <paramref name="text"/> when given, else as a new string); false when there is none.
    /// </summary>
    public bool TryIndex(ReadOnlySpan<char> chars, string? text, out ushort index)
    {
        if (chars.Length > _maxLength)
        {
            index = 0;
            return false;
        }

        if (_byChars.TryGetValue(chars, out index))
        {
            return true;
        }

        lock (_gate)
        {
            if (_byChars.TryGetValue(chars, out index))
            {
                return true;
            }

            if (_indexes.Count >= _capacity)
            {
                index = 0;
                return false;
            }

            text ??= chars.ToString();
            index = (ushort)(_indexes.Count + 1);
            var texts = _texts;
            if (index >= texts.Length)
            {
                Array.Resize(ref texts, Math.Min(texts.Length * 2, _capacity + 1));
            }

            texts[index] = text;
            Volatile.Write(ref _texts, texts);
            _indexes[text] = index;
            return true;
        }
    }
}
