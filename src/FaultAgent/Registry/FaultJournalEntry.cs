namespace FaultAgent.Registry;

/// <summary>One line of the fault journal (serialized as snake_case JSON).</summary>
public sealed record FaultJournalEntry
{
    public required FaultJournalOperation Op { get; init; }

    public required string FaultId { get; init; }

    /// <summary>
    /// The whole record: set on <see cref="FaultJournalOperation.Pending"/> and <see cref="FaultJournalOperation.Recorded"/>.
    /// A <see cref="FaultJournalOperation.Recorded"/> delta (<see cref="RecordedDelta"/>) is written without it and carries
    /// <see cref="WriteOutcome"/> and <see cref="Proofs"/> instead; <see cref="FaultJournal.Load(Action{FaultJournalEntry})"/>
    /// applies it to its pending entry and hands on the entry with the whole record set.
    /// </summary>
    public FaultRecord? Fault { get; init; }

    /// <summary>On a <see cref="FaultJournalOperation.Recorded"/> delta: how the write ended.</summary>
    public FaultWriteOutcome? WriteOutcome { get; init; }

    /// <summary>On a <see cref="FaultJournalOperation.Recorded"/> delta: the kernel's proof of each of the pending entry's records, in order.</summary>
    public IReadOnlyList<FaultRecordProof>? Proofs { get; init; }

    /// <summary>On <see cref="FaultJournalOperation.Pending"/>: the kernel's next sequence number before the write.</summary>
    public ulong? FromSequence { get; init; }

    /// <summary>
    /// On <see cref="FaultJournalOperation.Pending"/>: the entry's place in its group commit (0 first; absent in journals
    /// written before group commit, read as 0). Entries of one batch share <see cref="FromSequence"/> and were written in
    /// this order, so a restart assigns the kernel's records to them in this order.
    /// </summary>
    public int? BatchIndex { get; init; }

    /// <summary>
    /// On <see cref="FaultJournalOperation.Pending"/>: every record of the entry has a sequence below this one. Set on a
    /// pending entry a start could not resolve (the kernel log unreadable then), saved again with it by the first
    /// injection batch of that agent's life, before anything of the batch is written: this is that batch's
    /// <see cref="FromSequence"/>, and the entry's records were written in an earlier life, before the kernel log had
    /// reached it. A later start looks for the entry's records below it only, never among that life's own lines.
    /// </summary>
    public ulong? BeforeSequence { get; init; }

    /// <summary>On <see cref="FaultJournalOperation.Ended"/>.</summary>
    public FaultState? State { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? EndedReason { get; init; }

    public string? EndedBy { get; init; }
}
