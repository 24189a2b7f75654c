using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace FaultAgent.Registry;

/// <summary>
/// The registry's records found by their id (<see cref="FaultRecord.Identity"/>), or by their idempotency key
/// (<see cref="FaultRecordSlotKey.IdempotencyKey"/>: the key index, where a dictionary from the key to the id kept ~80
/// bytes per keyed fault at 20k): one array of references to the records
/// themselves, open addressing with linear probing, at most three quarters full (#14, the agent's memory): 8 bytes per
/// slot and 11–21 bytes per record, where a <see cref="HashSet{T}"/>'s entry kept a hash code and a link beside each
/// reference (16 bytes) and a bucket array (4 more per entry) — ~29–36 bytes per record at 20–40k records. A record's
/// hash is its id's (<see cref="FaultIdentity.GetHashCode"/>, the same for its characters: <see cref="FaultIdentity.HashOf"/>),
/// computed again when needed, never kept (by key: <see cref="HeldIdempotencyKey.GetHashCode"/>, the same in either form). A removal moves the records after it back into place (no tombstones), so a
/// search ends at the first empty slot. Not thread-safe: the registry uses it under its state lock.
/// </summary>
internal sealed class FaultRecordSlots : IReadOnlyCollection<FaultRecord>
{
    private const int InitialCapacity = 16;

    private readonly FaultRecordSlotKey _key;
    private FaultRecord?[] _slots = new FaultRecord?[InitialCapacity];
    private int _count;
    private int _version;

    /// <param name="key">Which key the records are found by: their fault id (the default), or their idempotency key.</param>
    public FaultRecordSlots(FaultRecordSlotKey key = FaultRecordSlotKey.FaultId) => _key = key;

    public int Count => _count;

    /// <summary>The record whose id is <paramref name="identity"/>.</summary>
    public bool TryGetValue(FaultIdentity identity, [MaybeNullWhen(false)] out FaultRecord record)
    {
        var slot = Find(identity);
        record = slot < 0 ? null : _slots[slot];
        return record is not null;
    }

    /// <summary>The record whose id the characters <paramref name="id"/> spell.</summary>
    public bool TryGetValue(ReadOnlySpan<char> id, [MaybeNullWhen(false)] out FaultRecord record)
    {
        var slot = Find(id);
        record = slot < 0 ? null : _slots[slot];
        return record is not null;
    }

    /// <summary>The record whose idempotency key is <paramref name="key"/> (slots by <see cref="FaultRecordSlotKey.IdempotencyKey"/>).</summary>
    public bool TryGetValue(HeldIdempotencyKey key, [MaybeNullWhen(false)] out FaultRecord record)
    {
        var slot = Find(key);
        record = slot < 0 ? null : _slots[slot];
        return record is not null;
    }

    /// <summary>Puts <paramref name="record"/> in place of the record with its key (its id, or its idempotency key); returns the one it replaced (null: none).</summary>
    public FaultRecord? Set(FaultRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _version++;
        var slot = _key == FaultRecordSlotKey.FaultId ? Find(record.Identity) : Find(record.HeldIdempotencyKey);
        if (slot >= 0)
        {
            var before = _slots[slot];
            _slots[slot] = record;
            return before;
        }

        if ((_count + 1) > (_slots.Length / 4) * 3)
        {
            Grow();
        }

        Place(_slots, record);
        _count++;
        return null;
    }

    /// <summary>Removes the record whose idempotency key is <paramref name="key"/> (slots by <see cref="FaultRecordSlotKey.IdempotencyKey"/>).</summary>
    public bool Remove(HeldIdempotencyKey key, [MaybeNullWhen(false)] out FaultRecord removed) => RemoveAt(Find(key), out removed);

    /// <summary>Removes the record whose id the characters <paramref name="id"/> spell.</summary>
    public bool Remove(ReadOnlySpan<char> id, [MaybeNullWhen(false)] out FaultRecord removed) => RemoveAt(Find(id), out removed);

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<FaultRecord> IEnumerable<FaultRecord>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int Home(int hash, int mask) => (int)((uint)hash & (uint)mask);

    private bool RemoveAt(int slot, [MaybeNullWhen(false)] out FaultRecord removed)
    {
        if (slot < 0)
        {
            removed = null;
            return false;
        }

        _version++;
        removed = _slots[slot]!;
        var mask = _slots.Length - 1;

        // Backward shift: every record after the hole whose home slot is not between the hole and itself moves into it.
        var hole = slot;
        var next = slot;
        while (true)
        {
            next = (next + 1) & mask;
            if (_slots[next] is not { } moving)
            {
                break;
            }

            var home = Home(HashOf(moving), mask);
            var stays = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!stays)
            {
                _slots[hole] = moving;
                hole = next;
            }
        }

        _slots[hole] = null;
        _count--;
        return true;
    }

    private int HashOf(FaultRecord record) => _key == FaultRecordSlotKey.FaultId ? record.Identity.GetHashCode() : record.HeldIdempotencyKey.GetHashCode();

    private void Place(FaultRecord?[] slots, FaultRecord record)
    {
        var mask = slots.Length - 1;
        var slot = Home(HashOf(record), mask);
        while (slots[slot] is not null)
        {
            slot = (slot + 1) & mask;
        }

        slots[slot] = record;
    }

    private int Find(FaultIdentity identity)
    {
        var mask = _slots.Length - 1;
        for (var slot = Home(identity.GetHashCode(), mask); _slots[slot] is { } record; slot = (slot + 1) & mask)
        {
            if (record.Identity.Equals(identity))
            {
                return slot;
            }
        }

        return -1;
    }

    private int Find(HeldIdempotencyKey key)
    {
        var mask = _slots.Length - 1;
        for (var slot = Home(key.GetHashCode(), mask); _slots[slot] is { } record; slot = (slot + 1) & mask)
        {
            if (record.HeldIdempotencyKey.Equals(key))
            {
                return slot;
            }
        }

        return -1;
    }

    private int Find(ReadOnlySpan<char> id)
    {
        var mask = _slots.Length - 1;
        for (var slot = Home(FaultIdentity.HashOf(id), mask); _slots[slot] is { } record; slot = (slot + 1) & mask)
        {
            if (record.Identity.Is(id))
            {
                return slot;
            }
        }

        return -1;
    }

    private void Grow()
    {
        var slots = new FaultRecord?[_slots.Length * 2];
        foreach (var record in _slots)
        {
            if (record is not null)
            {
                Place(slots, record);
            }
        }

        _slots = slots;
    }

    /// <summary>The records in slot order; like the collections', it throws when the slots changed since it began.</summary>
    public struct Enumerator : IEnumerator<FaultRecord>
    {
        private readonly FaultRecordSlots _owner;
        private readonly int _version;
        private int _slot;

        internal Enumerator(FaultRecordSlots owner)
        {
            _owner = owner;
            _version = owner._version;
            _slot = -1;
            Current = null!;
        }

        public FaultRecord Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_version != _owner._version)
            {
                throw new InvalidOperationException("The registry's records changed while they were enumerated.");
            }

            var slots = _owner._slots;
            while (++_slot < slots.Length)
            {
                if (slots[_slot] is { } record)
                {
                    Current = record;
                    return true;
                }
            }

            Current = null!;
            return false;
        }

        public void Reset()
        {
            _slot = -1;
            Current = null!;
        }

        public readonly void Dispose()
        {
        }
    }
}
