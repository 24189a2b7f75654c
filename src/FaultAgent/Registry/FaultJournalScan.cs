namespace FaultAgent.Registry;

/// <summary>What a streaming journal read found: how many entries it passed on, how many lines were damaged (and skipped).</summary>
public sealed record FaultJournalScan(int Entries, int DamagedLines, bool TornTail);
