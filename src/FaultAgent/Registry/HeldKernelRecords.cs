namespace FaultAgent.Registry;

/// <summary>
/// A fault's kernel records as <see cref="FaultRecord"/> keeps them (#14, the agent's memory): one array of
/// <see cref="HeldKernelRecord"/> values — 104 bytes for an Xid fault's two records instead of two objects and an array of
/// references to them (184) —; or, for a fault whose line is a kept head and its message, the records and the message's
/// bytes in one array (<see cref="PackedKernelRecords"/>, faultbytes4: ~40 bytes less); or, when a record does not fit
/// either form, or there are none, the list as given.
/// <see cref="ToList"/> builds the records again (equal to those given, their texts the same instances). Two are equal
/// when their records are, one by one, as <see cref="FaultKernelRecord"/> compares them.
/// </summary>
internal readonly struct HeldKernelRecords : IEquatable<HeldKernelRecords>
{
    // HeldKernelRecord[] (one or more records, each held), byte[] (PackedKernelRecords: the records and the fault's message),
    // or the IReadOnlyList<FaultKernelRecord> as given (null too).
    private readonly object? _held;

    private HeldKernelRecords(object? held) => _held = held;

    /// <summary>The records and the message <see cref="PackedKernelRecords.TryPack"/> packed.</summary>
    public static HeldKernelRecords Packed(byte[] packed) => new(packed);

    /// <summary>Whether the records are held with the fault's message in one array (<see cref="PackedKernelRecords"/>).</summary>
    public bool IsPacked => _held is byte[];

    /// <summary>The message's ASCII bytes held behind the records (<see cref="IsPacked"/>); empty otherwise.</summary>
    public ReadOnlySpan<byte> PackedMessage => _held is byte[] packed ? PackedKernelRecords.Message(packed) : default;

    /// <summary>The packed array itself (<see cref="IsPacked"/>), null otherwise: the message's bytes start at <see cref="PackedKernelRecords.MessageStart"/>.</summary>
    public byte[]? PackedArray => _held as byte[];

    /// <summary>
    /// The records held as values again (<see cref="Of"/>) with the message's bytes as <paramref name="message"/>, which the
    /// line's records hold (as <see cref="FaultKernelRecord.RepeatingLine(HeldLine)"/> makes them); this itself when not packed.
    /// </summary>
    public HeldKernelRecords Unpacked(out byte[]? message)
    {
        message = null;
        if (_held is not byte[] packed)
        {
            return this;
        }

        var records = PackedKernelRecords.ToRecords(packed, out message);
        message ??= PackedKernelRecords.Message(packed).ToArray();
        return Of(records);
    }

    /// <summary><paramref name="records"/> held as values when every one fits (<see cref="HeldKernelRecord.TryHold"/>); as given otherwise.</summary>
    public static HeldKernelRecords Of(IReadOnlyList<FaultKernelRecord>? records)
    {
        if (records is not { Count: > 0 })
        {
            return new HeldKernelRecords(records);
        }

        var held = new HeldKernelRecord[records.Count];
        for (var i = 0; i < held.Length; i++)
        {
            if (!HeldKernelRecord.TryHold(records[i], out held[i]))
            {
                return new HeldKernelRecords(records);
            }
        }

        return new HeldKernelRecords(held);
    }

    /// <summary>How many records (0 when none were given).</summary>
    public int Count => _held switch
    {
        HeldKernelRecord[] held => held.Length,
        byte[] packed => PackedKernelRecords.Count(packed),
        IReadOnlyList<FaultKernelRecord> given => given.Count,
        _ => 0,
    };

    /// <summary>The first record's kernel sequence, 0 when there is none (the registry's order).</summary>
    public ulong FirstSequence => _held switch
    {
        HeldKernelRecord[] held => held[0].Sequence,
        byte[] packed => PackedKernelRecords.At(packed, 0).Sequence,
        IReadOnlyList<FaultKernelRecord> { Count: > 0 } given => given[0].Sequence,
        _ => 0,
    };

    /// <summary>Record <paramref name="index"/>'s proof (sequence, timestamp, read-back time), read without building the record.</summary>
    public FaultRecordProof ProofAt(int index) => _held switch
    {
        byte[] packed => PackedKernelRecords.ProofAt(packed, index),
        HeldKernelRecord[] held => held[index].Proof,
        _ => Proof(((IReadOnlyList<FaultKernelRecord>)_held!)[index]),
    };

    /// <summary>The packed records carrying <paramref name="proofs"/> instead of theirs (<see cref="IsPacked"/>, one proof per record).</summary>
    public HeldKernelRecords WithPackedProofs(IReadOnlyList<FaultRecordProof> proofs) => new(PackedKernelRecords.WithProofs((byte[])_held!, proofs));

    private static FaultRecordProof Proof(FaultKernelRecord record) => new(record.Sequence, record.TimestampMicroseconds, record.ObservedAt);

    /// <summary>The records: built again from the held values, or the list as given.</summary>
    public IReadOnlyList<FaultKernelRecord> ToList()
    {
        if (_held is byte[] packed)
        {
            return PackedKernelRecords.ToRecords(packed, out _);
        }

        if (_held is not HeldKernelRecord[] held)
        {
            return (IReadOnlyList<FaultKernelRecord>)_held!;
        }

        var records = new FaultKernelRecord[held.Length];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = held[i].ToRecord();
        }

        return records;
    }

    public bool Equals(HeldKernelRecords other)
    {
        if (ReferenceEquals(_held, other._held))
        {
            return true;
        }

        if (_held is null || other._held is null || Count != other.Count)
        {
            return false;
        }

        if (_held is HeldKernelRecord[] mine && other._held is HeldKernelRecord[] theirs)
        {
            for (var i = 0; i < mine.Length; i++)
            {
                if (!mine[i].SameAs(theirs[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (_held is byte[] mineAndMessage && other._held is byte[] theirsAndMessage)
        {
            // The messages too: a fault's records are packed only with its message, which FaultRecord compares here.
            return PackedKernelRecords.SameAs(mineAndMessage, theirsAndMessage);
        }

        return ToList().SequenceEqual(other.ToList());
    }

    public override bool Equals(object? obj) => obj is HeldKernelRecords other && Equals(other);

    /// <summary>The count and the sequences: equal records have equal sequences.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        switch (_held)
        {
            case HeldKernelRecord[] held:
                foreach (var record in held)
                {
                    hash.Add(record.Sequence);
                }

                break;
            case byte[] packed:
                for (var i = 0; i < PackedKernelRecords.Count(packed); i++)
                {
                    hash.Add(PackedKernelRecords.At(packed, i).Sequence);
                }

                break;
            case IReadOnlyList<FaultKernelRecord> given:
                foreach (var record in given)
                {
                    hash.Add(record?.Sequence ?? 0);
                }

                break;
        }

        return hash.ToHashCode();
    }
}
