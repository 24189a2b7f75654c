namespace FaultInjection.Benchmarks;

/// <summary>
/// Reads /dev/kmsg on a background thread from the oldest record on, counting the records that contain a marker, so
/// the check sees every record of the run even when the ring buffer wraps later (a reader that falls behind gets EPIPE
/// and resumes at the oldest record still kept; that is counted as an overrun).
/// </summary>
public sealed class KernelLogTail
{
    private readonly Dictionary<string, int> _counts;
    private readonly Lock _gate = new();

    public KernelLogTail(params string[] markers)
    {
        _counts = markers.ToDictionary(m => m, _ => 0, StringComparer.Ordinal);
        new Thread(Read) { IsBackground = true, Name = "kmsg tail" }.Start();
    }

    public int Overruns { get; private set; }

    public int Count(string marker)
    {
        lock (_gate)
        {
            return _counts[marker];
        }
    }

    private void Read()
    {
        using var kmsg = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[8192];
        while (true)
        {
            int n;
            try
            {
                n = kmsg.Read(buffer, 0, buffer.Length);
            }
            catch (IOException)
            {
                Overruns++;
                continue;
            }

            if (n <= 0)
            {
                return;
            }

            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, n);
            lock (_gate)
            {
                foreach (var marker in _counts.Keys.ToList())
                {
                    if (text.Contains(marker, StringComparison.Ordinal))
                    {
                        _counts[marker]++;
                    }
                }
            }
        }
    }
}
