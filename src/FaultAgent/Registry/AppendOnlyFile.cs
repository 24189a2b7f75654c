using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace FaultAgent.Registry;

/// <summary>
/// A file opened <c>O_WRONLY | O_APPEND | O_CREAT</c>: every <see cref="Append"/> lands at the end of the file as the
/// kernel sees it at that moment, never over bytes someone else wrote (a stale offset cannot overwrite), and is one
/// <c>write()</c> of the whole buffer (a short write, e.g. a full disk, is undone by truncating back, so no torn line
/// stays for the next append to run into). Not thread-safe: the journal's caller serializes.
/// </summary>
internal sealed unsafe class AppendOnlyFile : IDisposable
{
    private int _fd;

    public AppendOnlyFile(string path)
    {
        Path = path;
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            _fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, (mode_t)0x180);
        }

        if (_fd < 0)
        {
            throw new IOException($"Cannot open {path} for appending (errno {errno}).");
        }
    }

    public string Path { get; }

    /// <summary>Appends <paramref name="data"/> with one write(); with <paramref name="flushToDisk"/> also fsyncs.</summary>
    public void Append(ReadOnlySpan<byte> data, bool flushToDisk)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        long written;
        int error;
        fixed (byte* p = data)
        {
            do
            {
                written = write(_fd, p, (size_t)(ulong)data.Length);
                error = written < 0 ? errno : 0;
            }
            while (written < 0 && error == EINTR);
        }

        if (written != data.Length)
        {
            if (written > 0)
            {
                // Part of the line landed (ENOSPC, EFBIG): take it back so the file still ends on a whole line.
                var stat = default(stat);
                if (fstat(_fd, &stat) == 0)
                {
                    _ = ftruncate(_fd, stat.st_size - written);
                }
            }

            throw new IOException(written < 0
                ? $"write {Path} failed (errno {error})."
                : $"write {Path} took {written} of {data.Length} bytes (the disk may be full).");
        }

        if (flushToDisk)
        {
            Flush();
        }
    }

    /// <summary>fsync: this and every earlier append reach the disk.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        if (fsync(_fd) != 0)
        {
            throw new IOException($"fsync {Path} failed (errno {errno}).");
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = close(_fd);
            _fd = -1;
        }
    }
}
