namespace FaultAgent.Registry;

/// <summary>
/// The steps of a compaction after which the files on disk change state (<see cref="FaultJournal.CompactionStepReached"/>,
/// a seam for tests that kill or fail a compaction at each of them).
/// </summary>
internal enum FaultJournalCompactionStep
{
    /// <summary>The snapshot is written beside the journal (the temporary file) and fsync'd; the journal itself is unchanged and still appended to.</summary>
    SnapshotWritten,

    /// <summary>Under the write gate: the entries appended to the journal since the snapshot are copied after it in the temporary file, and that is fsync'd.</summary>
    TailCopied,

    /// <summary>The temporary file is renamed over the journal (its directory not yet fsync'd).</summary>
    Renamed,

    /// <summary>The directory is fsync'd: the rename is durable.</summary>
    DirectorySynced,
}
