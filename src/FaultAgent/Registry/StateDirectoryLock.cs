using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using FaultAgent.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace FaultAgent.Registry;

/// <summary>
/// The agent's exclusive claim on its state directory: <c>flock(LOCK_EX | LOCK_NB)</c> on <c>agent.lock</c> in it, taken
/// at start before anything reads or writes the journal, the stop state or the bug reports, and held for the life of
/// the process (the kernel drops it when the process dies, however it dies). The file names the holder (pid, node,
/// host, start time), so a second agent refuses to start with <see cref="StateDirectoryLockedException"/> naming it:
/// two agents on one directory would overwrite each other's journal.
/// </summary>
public sealed unsafe partial class StateDirectoryLock : IDisposable
{
    public const string FileName = "agent.lock";

    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StateDirectoryLock> _logger;
    private readonly Lock _gate = new();
    private int _fd = -1;

    public StateDirectoryLock(IOptions<AgentOptions> options, TimeProvider timeProvider, ILogger<StateDirectoryLock> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        FilePath = Path.Combine(_options.StateDirectory, FileName);
    }

    public string FilePath { get; }

    public bool IsHeld
    {
        get
        {
            lock (_gate)
            {
                return _fd >= 0;
            }
        }
    }

    /// <summary>Takes the lock (once; later calls return at once) and writes who holds it.</summary>
    /// <exception cref="StateDirectoryLockedException">Another process holds it.</exception>
    /// <exception cref="IOException">The lock file cannot be opened, locked or written.</exception>
    public void Acquire()
    {
        lock (_gate)
        {
            if (_fd >= 0)
            {
                return;
            }

            Directory.CreateDirectory(_options.StateDirectory);
            var fd = Open();
            if (flock(fd, LockExclusive | LockNonBlocking) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                var holder = error == EWOULDBLOCK ? ReadHolder(fd) : "";
                _ = close(fd);
                if (error == EWOULDBLOCK)
                {
                    StateDirectoryLog.Held(_logger, _options.StateDirectory, holder);
                    throw new StateDirectoryLockedException(
                        $"Another agent holds the state directory {_options.StateDirectory} ({holder}; lock file {FilePath}). Two agents on one state directory would overwrite each other's fault journal: stop that one first, or give this one its own Agent:StateDirectory.")
                    {
                        Holder = holder,
                    };
                }

                throw new IOException($"flock {FilePath} failed (errno {error}).");
            }

            var me = string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}, node {_options.NodeName}, host {Environment.MachineName}, since {_time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}");
            WriteHolder(fd, me);
            _fd = fd;
            StateDirectoryLog.Acquired(_logger, _options.StateDirectory, me);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_fd >= 0)
            {
                // Closing the only descriptor releases the flock.
                _ = close(_fd);
                _fd = -1;
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int flock(int fd, int operation);

    private int Open()
    {
        var path = Encoding.UTF8.GetBytes(FilePath + "\0");
        fixed (byte* p = path)
        {
            var fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, (mode_t)0x180);
            if (fd < 0)
            {
                var error = errno;
                throw new IOException($"Cannot open the state directory's lock file {FilePath} (errno {error}).");
            }

            return fd;
        }
    }

    private static string ReadHolder(int fd)
    {
        var buffer = new byte[512];
        fixed (byte* p = buffer)
        {
            var n = (long)pread(fd, p, (size_t)(ulong)buffer.Length, 0);
            var text = n > 0 ? Encoding.UTF8.GetString(buffer, 0, (int)n).Trim() : "";
            return text.Length > 0 ? text : "holder unknown";
        }
    }

    private void WriteHolder(int fd, string holder)
    {
        var bytes = Encoding.UTF8.GetBytes(holder + "\n");
        fixed (byte* p = bytes)
        {
            if (ftruncate(fd, 0) != 0 || (long)pwrite(fd, p, (size_t)(ulong)bytes.Length, 0) != bytes.Length)
            {
                // The lock is held; only the note naming the holder is missing.
                StateDirectoryLog.HolderNotWritten(_logger, FilePath, errno);
            }
        }
    }
}
