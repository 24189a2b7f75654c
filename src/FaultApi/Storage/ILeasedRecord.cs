namespace FaultApi.Storage;

/// <summary>
/// What <see cref="LeasedRecordStore{TRecord, TStored}"/> reads from a record it keeps: its id (the ConfigMap's name
/// after the kind's prefix), its state as its label carries it, whether it ended, and its times (for pruning). Records
/// implement <see cref="Id"/> and <see cref="StateName"/> explicitly, so their JSON does not change.
/// </summary>
public interface ILeasedRecord
{
    string Id { get; }

    /// <summary>The state as written in the record's JSON and state label (lower case).</summary>
    string StateName { get; }

    /// <summary>True once the record ended: it is not leased any more and may be pruned.</summary>
    bool IsFinal { get; }

    DateTimeOffset CreatedAt { get; }

    DateTimeOffset? EndedAt { get; }
}
