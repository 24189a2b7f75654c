using System.Text;
using FaultAgent.Hosting;
using FaultAgent.Injection;
using Microsoft.Extensions.Options;

namespace FaultAgent.Registry;

/// <summary>
/// Reads the node's boot id from <see cref="AgentOptions.BootIdFile"/> (<c>/proc/sys/kernel/random/boot_id</c>), afresh on
/// every call (GPU discovery asks on every injection to notice a reboot). The read is synchronous and direct: open(), one
/// read() and close() of a procfs file that never blocks (no FileStream with its fstat, flock and unlock), and the string
/// read before is returned while the bytes are the same, so an injection neither hops to another thread for it nor
/// allocates a string (#14, BENCHMARKS.md "the agent's CPU per injection, profiled": the asynchronous read was ~5 % of the
/// agent's CPU in the throughput phase).
/// </summary>
public sealed class ProcBootIdSource(IOptions<AgentOptions> options) : IBootIdSource
{
    private const int MaxBootIdBytes = 128;

    private volatile BootId? _last;

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

    private string Read()
    {
        Span<byte> buffer = stackalloc byte[MaxBootIdBytes + 1];
        long length;
        var fd = LinuxSyscalls.Open(BootIdPath, LinuxSyscalls.ReadOnly);
        try
        {
            length = LinuxSyscalls.TryRead(fd, buffer);
        }
        finally
        {
            LinuxSyscalls.Close(fd);
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

    private sealed record BootId(byte[] Bytes, string Text);
}
