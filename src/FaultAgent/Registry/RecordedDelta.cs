namespace FaultAgent.Registry;

/// <summary>
/// The <c>recorded</c> entry of an injection as a delta of its <c>pending</c> entry (#14): the fault id, the write's
/// outcome and each record's proof (<see cref="FaultRecordProof"/>) instead of the whole fault again — ~250 bytes instead
/// of ~1.8 KB, and that much less JSON per injection. Written only when applying it to the pending fault gives exactly
/// the recorded fault (everything else unchanged: a verified write); any other outcome (partial, unknown) is journaled
/// whole. A delta always follows its pending entry in the same file: both are appended under one batch's hold on the
/// gate, and compaction (which writes every fault whole) runs only once no member is pending. Journals written before
/// it (every <c>recorded</c> entry whole) load unchanged.
/// </summary>
public static class RecordedDelta
{
    /// <summary>The delta entry recording <paramref name="written"/>, or null when it is not <paramref name="pending"/> plus proofs.</summary>
    public static FaultJournalEntry? TryCreate(FaultRecord pending, FaultRecord written)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(written);
        if (pending.HeldRecords.Count != written.HeldRecords.Count || pending.FaultId != written.FaultId)
        {
            return null;
        }

        var records = written.HeldRecords;
        var proofs = new FaultRecordProof[records.Count];
        for (var i = 0; i < proofs.Length; i++)
        {
            proofs[i] = records.ProofAt(i);
        }

        // Faults compare their records by value (FaultRecord.Records): equal means every record and every other field is.
        var entry = new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = written.FaultId, WriteOutcome = written.WriteOutcome, Proofs = proofs };
        var applied = Apply(pending, entry);
        return applied is not null && applied.Equals(written)
            ? entry
            : null;
    }

    /// <summary>The recorded fault: <paramref name="pending"/> with the delta's outcome and proofs; null when they do not fit it.</summary>
    public static FaultRecord? Apply(FaultRecord pending, FaultJournalEntry delta)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.Proofs is not { } proofs || delta.WriteOutcome is not { } outcome || proofs.Count != pending.HeldRecords.Count || delta.FaultId != pending.FaultId)
        {
            return null;
        }

        if (pending.HoldsMessageBehindRecords)
        {
            // The records and the message in one array: the proofs written into a copy of it (the records' texts, levels and facilities the pending entry's).
            return pending.WithPackedProofs(outcome, proofs);
        }

        var planned = pending.Records;
        var records = new FaultKernelRecord[proofs.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = planned[i] with { Sequence = proofs[i].Sequence, TimestampMicroseconds = proofs[i].TimestampMicroseconds, ObservedAt = proofs[i].ObservedAt };
        }

        return pending with { WriteOutcome = outcome, Records = records };
    }
}
