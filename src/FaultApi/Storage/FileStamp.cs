using System.Runtime.InteropServices;

namespace FaultApi.Storage;

/// <summary>
/// What one <c>statx()</c> says of a file: device, inode, size, and modification and change times in nanoseconds. Equal
/// stamps mean the file was neither replaced nor written: a <see cref="CompareAndSwapFile"/> write renames a new file over
/// (another inode: the new file exists beside the old until the rename), and an in-place edit moves both times.
/// <c>statx</c>'s buffer has one layout on every architecture, unlike <c>struct stat</c> (linux/stat.h).
/// </summary>
public readonly partial record struct FileStamp(ulong Device, ulong Inode, ulong Size, long ModifiedNanoseconds, long ChangedNanoseconds)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBufferBytes = 256;

    /// <summary>The stamp of a path that does not exist.</summary>
    public static FileStamp Missing { get; } = new(0, 0, 0, -1, -1);

    /// <summary>The file's stamp now; <see cref="Missing"/> when it does not exist; null when it cannot be stat'ed (then read it to learn why).</summary>
    public static unsafe FileStamp? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var buffer = stackalloc byte[StatxBufferBytes];
        if (statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
        {
            return Marshal.GetLastPInvokeError() == 2 /* ENOENT */ ? Missing : null;
        }

        var fields = new ReadOnlySpan<byte>(buffer, StatxBufferBytes);
        return new FileStamp(
            ((ulong)MemoryMarshal.Read<uint>(fields[136..]) << 32) | MemoryMarshal.Read<uint>(fields[140..]),
            MemoryMarshal.Read<ulong>(fields[32..]),
            MemoryMarshal.Read<ulong>(fields[40..]),
            Nanoseconds(fields[112..]),
            Nanoseconds(fields[96..]));
    }

    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
        (MemoryMarshal.Read<long>(timestamp) * 1_000_000_000) + MemoryMarshal.Read<uint>(timestamp[8..]);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
