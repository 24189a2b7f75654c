using System.Buffers;
using System.Text;

namespace FaultAgent.HostProcesses;

/// <summary>
/// Reads a child's output pipe to its end, keeping at most a fixed number of bytes; the rest is read and dropped so the
/// child never blocks on a full pipe.
/// </summary>
internal sealed class BoundedOutputReader
{
    private readonly int _maxBytes;
    private readonly ArrayBufferWriter<byte> _kept = new();
    private readonly Lock _gate = new();

    public BoundedOutputReader(int maxBytes)
    {
        _maxBytes = maxBytes;
    }

    public bool Truncated { get; private set; }

    public async Task ReadToEndAsync(Stream source)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (_gate)
            {
                var room = _maxBytes - _kept.WrittenCount;
                if (room > 0)
                {
                    _kept.Write(buffer.AsSpan(0, Math.Min(room, read)));
                }

                if (read > room)
                {
                    Truncated = true;
                }
            }
        }
    }

    /// <summary>The kept bytes as UTF-8 (invalid sequences replaced, a sequence cut at the cap included).</summary>
    public string GetText()
    {
        // The reader may still run when a process the tool left behind holds the pipe open.
        lock (_gate)
        {
            return Encoding.UTF8.GetString(_kept.WrittenSpan);
        }
    }
}
