using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace FaultAgent.Injection;

/// <summary>
/// The agent's only raw libc calls (through Tmds.LibC). errno is read immediately after each failing call and turned
/// into a <see cref="SyscallException"/> naming the call, the path and strerror; the Try* forms return -errno for the
/// conditions a caller handles (EAGAIN, EPIPE, EINTR).
/// </summary>
internal static unsafe partial class LinuxSyscalls
{
    public static readonly int ReadOnly = O_RDONLY;
    public static readonly int WriteOnly = O_WRONLY;
    public static readonly int NonBlocking = O_NONBLOCK;
    public static readonly int Eagain = EAGAIN;
    public static readonly int Epipe = EPIPE;
    public static readonly int Eintr = EINTR;
    public static readonly int Eperm = EPERM;
    public static readonly int Enoent = ENOENT;
    public static readonly int Eacces = EACCES;
    public static readonly int Einval = EINVAL;

    public static int Open(string path, int flags)
    {
        var bytes = NullTerminated(path);
        fixed (byte* p = bytes)
        {
            while (true)
            {
                var fd = open(p, flags | O_CLOEXEC);
                if (fd >= 0)
                {
                    return fd;
                }

                var error = errno;
                if (error != EINTR)
                {
                    throw Failure("open", path, error);
                }
            }
        }
    }

    /// <summary>
    /// stat() of <paramref name="path"/> as a value that changes whenever the entry is replaced (device, inode) or
    /// changed (size, modification and change times, in nanoseconds, link count); <see cref="FileStamp.Missing"/> when it does not
    /// exist or cannot be reached. One system call, nothing opened.
    /// </summary>
    public static FileStamp Stamp(string path) => Stamp(NullTerminated(path));

    /// <summary><see cref="Stamp(string)"/> of a path already encoded (<see cref="PathBytes"/>): nothing allocated.</summary>
    public static FileStamp Stamp(ReadOnlySpan<byte> nullTerminatedPath)
    {
        stat status;
        fixed (byte* p = nullTerminatedPath)
        {
            if (stat(p, &status) != 0)
            {
                return FileStamp.Missing;
            }
        }

        return new FileStamp(
            (ulong)status.st_dev, (ulong)status.st_ino, (long)status.st_size,
            (long)status.st_mtim.tv_sec * 1_000_000_000 + (long)status.st_mtim.tv_nsec,
            (long)status.st_ctim.tv_sec * 1_000_000_000 + (long)status.st_ctim.tv_nsec,
            (ulong)status.st_nlink);
    }

    public static void Close(int fd)
    {
        if (fd >= 0)
        {
            _ = close(fd);
        }
    }

    /// <summary>One write() of the whole buffer; returns bytes written or -errno.</summary>
    public static long TryWrite(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = write(fd, p, (size_t)(ulong)buffer.Length);
                if (n >= 0)
                {
                    return n;
                }

                var error = errno;
                if (error != EINTR)
                {
                    return -error;
                }
            }
        }
    }

    /// <summary>One read(); returns bytes read or -errno (EAGAIN, EPIPE, ...).</summary>
    public static long TryRead(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = read(fd, p, (size_t)(ulong)buffer.Length);
                if (n >= 0)
                {
                    return n;
                }

                var error = errno;
                if (error != EINTR)
                {
                    return -error;
                }
            }
        }
    }


    /// <summary>One pread() at <paramref name="offset"/> (the descriptor's position is left alone); returns bytes read or -errno.</summary>
    public static long TryReadAt(int fd, Span<byte> buffer, long offset)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = pread(fd, p, (size_t)(ulong)buffer.Length, offset);
                if (n >= 0)
                {
                    return n;
                }

                var error = errno;
                if (error != EINTR)
                {
                    return -error;
                }
            }
        }
    }

    /// <summary>
    /// Whether the file open on <paramref name="fd"/> has no name left (fstat: no links), e.g. replaced by a rename;
    /// a descriptor fstat() refuses counts as unlinked.
    /// </summary>
    public static bool IsUnlinked(int fd)
    {
        stat status;
        return fstat(fd, &status) != 0 || status.st_nlink == 0;
    }

    /// <summary>A path as stat() and open() take it: UTF-8, null-terminated (encode once, use many times).</summary>
    public static byte[] PathBytes(string path) => NullTerminated(path);

    public static void SeekStart(int fd, string path) => Seek(fd, SEEK_SET, path);

    /// <summary>Waits until fd is readable or the timeout passes; true when readable.</summary>
    public static bool WaitReadable(int fd, int timeoutMilliseconds, string path)
    {
        pollfd entry = default;
        entry.fd = fd;
        entry.events = (short)POLLIN;
        while (true)
        {
            var n = PollWithErrno(&entry, 1, timeoutMilliseconds);
            if (n >= 0)
            {
                return n > 0;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error != EINTR)
            {
                throw Failure("poll", path, error);
            }
        }
    }

    // poll() declared with SetLastError: Tmds.LibC's poll is the one call the agent makes that it declares without it, so
    // its `errno` after a failed poll was the last error of an earlier call — after a non-blocking read of /dev/kmsg,
    // EAGAIN. A signal interrupting the wait (EINTR, to be waited again) then read as EAGAIN and failed the read-back
    // (seen once in CI since the read-back runs on pool threads, where the runtime's own signals reach it).
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollWithErrno(pollfd* fds, nuint count, int timeoutMilliseconds);

    /// <summary>Gives this thread its own filesystem context, as setns(CLONE_NEWNS) requires of a thread.</summary>
    public static void UnshareFilesystemContext()
    {
        if (unshare(CLONE_FS) != 0)
        {
            throw Failure("unshare(CLONE_FS)", "calling thread", errno);
        }
    }

    /// <summary>Moves the calling thread into the mount namespace of <paramref name="namespacePath"/> (/proc/PID/ns/mnt).</summary>
    public static void EnterMountNamespace(string namespacePath)
    {
        var fd = Open(namespacePath, O_RDONLY);
        try
        {
            if (setns(fd, CLONE_NEWNS) != 0)
            {
                throw Failure("setns(CLONE_NEWNS)", namespacePath, errno);
            }
        }
        finally
        {
            Close(fd);
        }
    }

    public static string Describe(int error)
    {
        // The runtime's strerror (System.Native), with the errno's symbolic name for grep-ability.
        return $"{Marshal.GetPInvokeErrorMessage(error)} ({Name(error)})";
    }

    public static string Name(int error) =>
        error == EPERM ? "EPERM" : error == ENOENT ? "ENOENT" : error == EACCES ? "EACCES" : error == EINVAL ? "EINVAL"
        : error == EAGAIN ? "EAGAIN" : error == EPIPE ? "EPIPE" : error == ESRCH ? "ESRCH" : error == EBADF ? "EBADF"
        : error == ENOSPC ? "ENOSPC" : $"errno {error}";

    public static SyscallException Failure(string call, string target, int error) => new(call, target, error, Describe(error));

    private static void Seek(int fd, int whence, string path)
    {
        if (lseek(fd, 0, whence) < 0)
        {
            throw Failure("lseek", path, errno);
        }
    }

    private static byte[] NullTerminated(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }
}
