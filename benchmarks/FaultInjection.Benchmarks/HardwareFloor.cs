using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FaultInjection.Benchmarks;

/// <summary>
/// The floor one verified, recorded injection cannot go under on this machine, measured with raw syscalls from this
/// process: a 200-byte append + fsync to a file on the agent state directory's disk (the journal's pending entry), and
/// one /dev/kmsg write followed by reading that record back (a reader opened at the end of the log, non-blocking). The
/// writer descriptor is reopened every 8 records, as the agent does (printk_devkmsg=ratelimit allows 10 per open file).
/// </summary>
public static partial class HardwareFloor
{
    private const int ORdOnly = 0, OWrOnly = 1, OCreat = 0x40, OAppend = 0x400, ONonBlock = 0x800, OCloexec = 0x80000;
    private const int SeekEnd = 2;

    public static LatencySample AppendAndFsync(string directory, int count)
    {
        var path = Path.Combine(directory, "floor.journal");
        var fd = Open(path, OWrOnly | OAppend | OCreat | OCloexec, 0x180);
        var line = Encoding.ASCII.GetBytes(new string('x', 199) + "\n");
        var sample = new LatencySample("floor: 200-byte append + fsync (state directory's disk)");
        try
        {
            for (var i = 0; i < count; i++)
            {
                var watch = Stopwatch.StartNew();
                if (write(fd, line, line.Length) != line.Length || fsync(fd) != 0)
                {
                    throw new IOException($"append/fsync {path} failed (errno {Marshal.GetLastPInvokeError()})");
                }

                sample.Add(watch.Elapsed);
            }
        }
        finally
        {
            _ = close(fd);
            File.Delete(path);
        }

        return sample;
    }

    /// <summary>
    /// <paramref name="count"/> appends shaped like the journal's in the profile phase (#14), added to
    /// <paramref name="sample"/>: <paramref name="unflushedBytes"/> appended without an fsync (the previous injection's
    /// <c>recorded</c> entry; 0: none), then <paramref name="flushedBytes"/> appended and the file fsync'd (or
    /// fdatasync'd), that second write and the flush timed. The file at <paramref name="path"/> is kept between calls
    /// (it grows as the journal does); the caller deletes it.
    /// </summary>
    public static void JournalShapedAppends(string path, int count, int unflushedBytes, int flushedBytes, bool dataSync, LatencySample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var fd = Open(path, OWrOnly | OAppend | OCreat | OCloexec, 0x180);
        var unflushed = Encoding.ASCII.GetBytes(new string('x', Math.Max(unflushedBytes - 1, 0)) + "\n");
        var flushed = Encoding.ASCII.GetBytes(new string('x', flushedBytes - 1) + "\n");
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (unflushedBytes > 0 && write(fd, unflushed, unflushed.Length) != unflushed.Length)
                {
                    throw new IOException($"append {path} failed (errno {Marshal.GetLastPInvokeError()})");
                }

                var watch = Stopwatch.StartNew();
                if (write(fd, flushed, flushed.Length) != flushed.Length || (dataSync ? fdatasync(fd) : fsync(fd)) != 0)
                {
                    throw new IOException($"append/fsync {path} failed (errno {Marshal.GetLastPInvokeError()})");
                }

                sample.Add(watch.Elapsed);
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    public static LatencySample KmsgWriteAndReadBack(string marker, int count)
    {
        var reader = Open("/dev/kmsg", ORdOnly | ONonBlock | OCloexec, 0);
        var writer = -1;
        var buffer = new byte[8192];
        var sample = new LatencySample("floor: /dev/kmsg write + read-back");
        try
        {
            if (lseek(reader, 0, SeekEnd) < 0)
            {
                throw new IOException($"lseek /dev/kmsg failed (errno {Marshal.GetLastPInvokeError()})");
            }

            for (var i = 0; i < count; i++)
            {
                var text = string.Create(CultureInfo.InvariantCulture, $"{marker} floor-{i}");
                var record = Encoding.ASCII.GetBytes($"<4>{text}\n");
                var expected = Encoding.ASCII.GetBytes(text);
                var watch = Stopwatch.StartNew();
                if (i % 8 == 0)
                {
                    if (writer >= 0)
                    {
                        _ = close(writer);
                    }

                    writer = Open("/dev/kmsg", OWrOnly | OCloexec, 0);
                }

                if (write(writer, record, record.Length) != record.Length)
                {
                    throw new IOException($"write /dev/kmsg failed (errno {Marshal.GetLastPInvokeError()})");
                }

                while (true)
                {
                    var n = read(reader, buffer, buffer.Length);
                    if (n > 0 && buffer.AsSpan(0, (int)n).IndexOf(expected) >= 0)
                    {
                        break;
                    }

                    if (watch.Elapsed > TimeSpan.FromSeconds(5))
                    {
                        throw new TimeoutException($"'{text}' did not appear in /dev/kmsg within 5 s");
                    }
                }

                sample.Add(watch.Elapsed);
            }
        }
        finally
        {
            _ = close(reader);
            if (writer >= 0)
            {
                _ = close(writer);
            }
        }

        return sample;
    }

    private static int Open(string path, int flags, int mode)
    {
        var fd = open(path, flags, mode);
        return fd >= 0 ? fd : throw new IOException($"open {path} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long lseek(int fd, long offset, int whence);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
