using System.Diagnostics.CodeAnalysis;

namespace FaultAgent.Registry;

/// <summary>
/// The registry's records by fault id: a set of the records themselves, found by the id's characters, instead of a
/// dictionary from the id's string (#14, the agent's memory): no id string is kept per record beside the record (a
/// generated id is held as its bytes, <see cref="FaultIdentity"/>), and an entry is one reference, not a key and a value.
/// </summary>
internal sealed class FaultRecordMap
{
    private readonly HashSet<FaultRecord> _records = new(ById.Instance);
    private readonly FaultOriginSet _origins = new();
    private readonly HashSet<FaultRecord>.AlternateLookup<ReadOnlySpan<char>> _byId;
    private readonly HashSet<FaultRecord>.AlternateLookup<FaultIdentity> _byIdentity;

    public FaultRecordMap()
    {
        _byId = _records.GetAlternateLookup<ReadOnlySpan<char>>();
        _byIdentity = _records.GetAlternateLookup<FaultIdentity>();
    }

    public int Count => _records.Count;

    /// <summary>Every record, in no particular order.</summary>
    public IReadOnlyCollection<FaultRecord> Values => _records;

    public FaultRecord this[string faultId] => TryGetValue(faultId, out var record) ? record : throw new KeyNotFoundException($"No fault '{faultId}'.");

    public bool ContainsKey(string faultId) => _byId.Contains(faultId);

    public bool TryGetValue(string faultId, [MaybeNullWhen(false)] out FaultRecord record) => _byId.TryGetValue(faultId, out record);

    /// <summary>The record whose id is <paramref name="identity"/> (as a record holds it: <see cref="FaultRecord.Identity"/>).</summary>
    public bool TryGetValue(FaultIdentity identity, [MaybeNullWhen(false)] out FaultRecord record) => _byIdentity.TryGetValue(identity, out record);

    /// <summary>
    /// Puts <paramref name="record"/> in place of the record with its id; <paramref name="before"/> is the one it replaced.
    /// The record holds the map's shared instance of its origin from now on (<see cref="FaultRecord.ShareOrigin"/>).
    /// </summary>
    public void Set(FaultRecord record, out FaultRecord? before)
    {
        record.ShareOrigin(_origins);
        before = _records.TryGetValue(record, out var found) ? found : null;
        if (before is not null)
        {
            _records.Remove(before);
        }

        _records.Add(record);
    }

    public bool Remove(string faultId, [MaybeNullWhen(false)] out FaultRecord removed)
    {
        if (!_byId.TryGetValue(faultId, out removed))
        {
            return false;
        }

        _records.Remove(removed);
        return true;
    }

    /// <summary>Records are the same entry when their ids are.</summary>
    private sealed class ById : IEqualityComparer<FaultRecord>, IAlternateEqualityComparer<ReadOnlySpan<char>, FaultRecord>, IAlternateEqualityComparer<FaultIdentity, FaultRecord>
    {
        public static readonly ById Instance = new();

        public bool Equals(FaultRecord? x, FaultRecord? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Identity.Equals(y.Identity));

        public int GetHashCode(FaultRecord obj) => obj.Identity.GetHashCode();

        public bool Equals(ReadOnlySpan<char> alternate, FaultRecord other) => other.Identity.Is(alternate);

        public int GetHashCode(ReadOnlySpan<char> alternate) => FaultIdentity.HashOf(alternate);

        public FaultRecord Create(ReadOnlySpan<char> alternate) => throw new NotSupportedException("A record is added as itself, never from its id.");

        public bool Equals(FaultIdentity alternate, FaultRecord other) => other.Identity.Equals(alternate);

        public int GetHashCode(FaultIdentity alternate) => alternate.GetHashCode();

        public FaultRecord Create(FaultIdentity alternate) => throw new NotSupportedException("A record is added as itself, never from its id.");
    }
}
