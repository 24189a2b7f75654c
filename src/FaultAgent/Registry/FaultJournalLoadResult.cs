namespace FaultAgent.Registry;

/// <summary>What a journal read found: every readable entry in order, and how many lines were damaged (and skipped).</summary>
public sealed record FaultJournalLoadResult(IReadOnlyList<FaultJournalEntry> Entries, int DamagedLines, bool TornTail);
