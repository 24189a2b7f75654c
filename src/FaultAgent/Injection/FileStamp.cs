namespace FaultAgent.Injection;

/// <summary>
/// What stat() says of a file or directory: equal stamps mean the entry was neither replaced nor changed.
/// <paramref name="Links"/> (st_nlink) is what shows a subdirectory added or removed under a procfs directory: procfs
/// keeps a directory's modification and change times from when its inode was made (a new /proc/fs/ext4/&lt;dev&gt;
/// directory left /proc/fs/ext4's times as they were and raised its link count from 3 to 4; BENCHMARKS.md, 2026-12-04
/// "GET /api/v1/nodes over 1000 agents").
/// </summary>
public readonly record struct FileStamp(ulong Device, ulong Inode, long Size, long ModifiedNanoseconds, long ChangedNanoseconds, ulong Links)
{
    /// <summary>The stamp of an entry that does not exist (or cannot be reached).</summary>
    public static FileStamp Missing { get; } = new(0, 0, -1, 0, 0, 0);
}
