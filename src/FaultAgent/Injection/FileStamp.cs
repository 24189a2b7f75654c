namespace FaultAgent.Injection;

/// <summary>What stat() says of a file or directory: equal stamps mean the entry was neither replaced nor changed.</summary>
public readonly record struct FileStamp(ulong Device, ulong Inode, long Size, long ModifiedNanoseconds, long ChangedNanoseconds)
{
    /// <summary>The stamp of an entry that does not exist (or cannot be reached).</summary>
    public static FileStamp Missing { get; } = new(0, 0, -1, 0, 0);
}
