using System.Text;
using FaultAgent.Hosting;
using FaultAgent.Injection;
using Microsoft.Extensions.Options;

namespace FaultAgent.Registry;

/// <summary>
/// Reads the node's boot id from <see cref="AgentOptions.BootIdFile"/> (<c>/proc/sys/kernel/random/boot_id</c>), afresh on
/// every call (GPU discovery asks on every injection to notice a reboot). The read is synchronous and direct, so an
/// injection neither hops to another thread for it nor allocates a string while the bytes are the same (#14, BENCHMARKS.md
/// "the agent's CPU per injection, profiled"). The file stays open: each call is one pread() at offset 0 (procfs answers
/// it afresh) and one fstat() that reopens the path when the open file has no name left (a file replaced by a rename,
/// as a test's stand-in can be); open(), read() and close() on every call cost ~9 µs per injection here, the held
/// descriptor ~2.5 µs (#14, BENCHMARKS.md "one injection's non-disk time"). A file rewritten in place is read anew.
/// </summary>
public sealed class ProcBootIdSource(IOptions<AgentOptions> options) : IBootIdSource, IDisposable
{
    private const int MaxBootIdBytes = 128;

    private readonly Lock _descriptorLock = new();
    private volatile BootId? _last;
    private int _fd = -1;
    private bool _disposed;

    public string BootIdPath { get; } = options.Value.BootIdFile;

    public ValueTask<string> GetBootIdAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<string>(cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(Read());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromException<string>(new InvalidOperationException($"Cannot read the node's boot id from {BootIdPath}: {e.Message}", e));
        }
    }

    public void Dispose()
    {
        lock (_descriptorLock)
        {
            _disposed = true;
            LinuxSyscalls.Close(_fd);
            _fd = -1;
        }
    }

    private string Read()
    {
        Span<byte> buffer = stackalloc byte[MaxBootIdBytes + 1];
        long length;
        lock (_descriptorLock)
        {
            try
            {
                length = ReadHeld(buffer);
            }
            finally
            {
                if (_disposed)
                {
                    // Asked during shutdown: read without keeping a descriptor.
                    LinuxSyscalls.Close(_fd);
                    _fd = -1;
                }
            }
        }

        if (length < 0)
        {
            throw LinuxSyscalls.Failure("read", BootIdPath, (int)-length);
        }

        if (length > MaxBootIdBytes)
        {
            return File.ReadAllText(BootIdPath).Trim(); // not a boot id the kernel writes; read and kept as it is
        }

        var bytes = buffer[..(int)length].Trim(" \t\r\n"u8);
        var last = _last;
        if (last is not null && bytes.SequenceEqual(last.Bytes))
        {
            return last.Text;
        }

        var read = new BootId(bytes.ToArray(), Encoding.UTF8.GetString(bytes));
        _last = read;
        return read.Text;
    }

    /// <summary>pread() of the kept descriptor, opened first (or again, when its file was replaced); caller holds the lock.</summary>
    private long ReadHeld(Span<byte> buffer)
    {
        if (_fd >= 0 && LinuxSyscalls.IsUnlinked(_fd))
        {
            LinuxSyscalls.Close(_fd);
            _fd = -1;
        }

        if (_fd < 0)
        {
            _fd = LinuxSyscalls.Open(BootIdPath, LinuxSyscalls.ReadOnly);
        }

        var length = LinuxSyscalls.TryReadAt(_fd, buffer, 0);
        if (length < 0)
        {
            // Opened afresh at the next call.
            LinuxSyscalls.Close(_fd);
            _fd = -1;
        }

        return length;
    }

    private sealed record BootId(byte[] Bytes, string Text);
}
