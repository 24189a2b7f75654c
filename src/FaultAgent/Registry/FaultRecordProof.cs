namespace FaultAgent.Registry;

/// <summary>
/// The kernel's proof of one record as a <c>recorded</c> delta carries it (<see cref="FaultJournalEntry.Proofs"/>): the
/// sequence and timestamp it was read back with, and when. Its text, level and facility are the pending entry's.
/// </summary>
public sealed record FaultRecordProof(ulong Sequence, ulong TimestampMicroseconds, DateTimeOffset? ObservedAt);
