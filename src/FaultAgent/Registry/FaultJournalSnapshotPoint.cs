namespace FaultAgent.Registry;

/// <summary>
/// Where the journal stood when a compaction's snapshot of the registry was taken (under the write gate): its length in
/// bytes and its entry count. The entries after <see cref="Length"/> are what the compaction's swap carries over.
/// </summary>
internal readonly record struct FaultJournalSnapshotPoint(long Length, int EntryCount);
