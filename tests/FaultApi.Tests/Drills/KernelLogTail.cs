using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace FaultApi.Tests.Drills;

/// <summary>
/// A reader of the machine's /dev/kmsg positioned at its end when opened (lseek SEEK_END), as a health monitor
/// following the kernel log is: it yields the text of every record written afterwards. Non-blocking reads with poll,
/// so disposing it stops a reader waiting for the next record.
/// </summary>
public sealed unsafe class KernelLogTail : IDisposable
{
    private readonly int _fd;

    public KernelLogTail()
    {
        var path = "/dev/kmsg\0"u8;
        fixed (byte* p = path)
        {
            _fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        }

        if (_fd < 0)
        {
            throw new IOException($"open /dev/kmsg failed: errno {errno}");
        }

        if (lseek(_fd, 0, SEEK_END) < 0)
        {
            var error = errno;
            _ = close(_fd);
            throw new IOException($"lseek /dev/kmsg failed: errno {error}");
        }
    }

    /// <summary>The next record's text (without its <c>prio,seq,usec,flags;</c> header), or null when cancelled.</summary>
    public string? Next(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (!cancellationToken.IsCancellationRequested)
        {
            long n;
            fixed (byte* p = buffer)
            {
                n = read(_fd, p, (size_t)(ulong)buffer.Length);
            }

            if (n > 0)
            {
                var record = Encoding.UTF8.GetString(buffer, 0, (int)n);
                var semicolon = record.IndexOf(';', StringComparison.Ordinal);
                var newline = record.IndexOf('\n', StringComparison.Ordinal);
                return record[(semicolon + 1)..(newline < 0 ? record.Length : newline)];
            }

            var error = errno;
            if (n < 0 && error == EAGAIN)
            {
                pollfd entry = default;
                entry.fd = _fd;
                entry.events = (short)POLLIN;
                _ = poll(&entry, 1, 100); // wakes at least every 100 ms to see the cancellation
            }
            else if (n < 0 && error != EPIPE && error != EINTR)
            {
                throw new IOException($"read /dev/kmsg failed: errno {error}");
            }
        }

        return null;
    }

    public void Dispose() => _ = close(_fd);
}
