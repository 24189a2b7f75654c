using System.Diagnostics.CodeAnalysis;

namespace FaultAgent.Registry;

/// <summary>
/// The registry's records by fault id: a set of the records themselves, found by the id's characters, instead of a
/// dictionary from the id's string (#14, the agent's memory): no id string is kept per record beside the record (a
/// generated id is held as its bytes, <see cref="FaultIdentity"/>), and an entry is one reference in one array
/// (<see cref="FaultRecordSlots"/>), not a key and a value.
/// </summary>
internal sealed class FaultRecordMap
{
    private readonly FaultRecordSlots _records = new();
    private readonly FaultOriginSet _origins = new();

    public int Count => _records.Count;

    /// <summary>Every record, in no particular order.</summary>
    public IReadOnlyCollection<FaultRecord> Values => _records;

    public FaultRecord this[string faultId] => TryGetValue(faultId, out var record) ? record : throw new KeyNotFoundException($"No fault '{faultId}'.");

    public bool ContainsKey(string faultId) => _records.TryGetValue(faultId, out _);

    public bool TryGetValue(string faultId, [MaybeNullWhen(false)] out FaultRecord record) => _records.TryGetValue(faultId, out record);

    /// <summary>The record whose id is <paramref name="identity"/> (as a record holds it: <see cref="FaultRecord.Identity"/>).</summary>
    public bool TryGetValue(FaultIdentity identity, [MaybeNullWhen(false)] out FaultRecord record) => _records.TryGetValue(identity, out record);

    /// <summary>
    /// Puts <paramref name="record"/> in place of the record with its id; <paramref name="before"/> is the one it replaced.
    /// The record holds the map's shared instance of its origin from now on (<see cref="FaultRecord.ShareOrigin"/>).
    /// </summary>
    public void Set(FaultRecord record, out FaultRecord? before)
    {
        record.ShareOrigin(_origins);
        before = _records.Set(record);
    }

    public bool Remove(string faultId, [MaybeNullWhen(false)] out FaultRecord removed) => _records.Remove(faultId, out removed);
}
