using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// What a <see cref="KernelLogRecorder"/> had read at one moment, sequence -> text in sequence order: a view of the first
/// records of its store (nothing copied; the store only grows). Lookups by sequence search the ascending sequences.
/// </summary>
public sealed class KernelLogRecordDictionary : IReadOnlyDictionary<ulong, string>
{
    private readonly KernelLogRecordStore _store;
    private readonly int _count;

    internal KernelLogRecordDictionary(KernelLogRecordStore store, int count)
    {
        _store = store;
        _count = count;
    }

    public int Count => _count;

    public IEnumerable<ulong> Keys => this.Select(r => r.Key);

    public IEnumerable<string> Values => this.Select(r => r.Value);

    public string this[ulong key] => TryGetValue(key, out var text) ? text : throw new KeyNotFoundException($"The kernel log recorder read no record with sequence {key}.");

    /// <summary>The record with <paramref name="sequence"/> (header and text), or null if the recorder did not read one.</summary>
    public RecordedKernelRecord? Record(ulong sequence) => _store.IndexOf(sequence, _count) is var index and >= 0 ? _store.RecordAt(index) : null;

    /// <summary>Every record whose text contains <paramref name="marker"/>, in sequence order (compared as bytes, nothing decoded on the way).</summary>
    public IReadOnlyList<RecordedKernelRecord> RecordsContaining(string marker)
    {
        var ascii = Encoding.ASCII.GetBytes(marker);
        var found = new List<RecordedKernelRecord>();
        for (var i = 0; i < _count; i++)
        {
            if (_store.TextContains(i, ascii))
            {
                found.Add(_store.RecordAt(i));
            }
        }

        return found;
    }

    /// <summary>The sequences of the records whose text is exactly <paramref name="text"/>, ascending.</summary>
    public IReadOnlyList<ulong> SequencesOf(string text)
    {
        var ascii = Encoding.ASCII.GetBytes(text);
        var found = new List<ulong>();
        for (var i = 0; i < _count; i++)
        {
            if (_store.TextEquals(i, ascii))
            {
                found.Add(_store.SequenceAt(i));
            }
        }

        return found;
    }

    public bool ContainsKey(ulong key) => _store.IndexOf(key, _count) >= 0;

    public bool TryGetValue(ulong key, [MaybeNullWhen(false)] out string value)
    {
        var index = _store.IndexOf(key, _count);
        value = index >= 0 ? _store.RecordAt(index).Text : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<ulong, string>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            var record = _store.RecordAt(i);
            yield return new KeyValuePair<ulong, string>(record.Sequence, record.Text);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
