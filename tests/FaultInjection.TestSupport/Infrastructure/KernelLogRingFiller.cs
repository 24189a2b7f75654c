using System.Globalization;
using System.Text;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// Another writer of the machine's kernel log, for tests of what the agent makes of records that are not its own:
/// writes records through fresh /dev/kmsg descriptors (8 each, below the kernel's per-file burst of 10, so none is
/// dropped), and can write until the kernel's ring has overwritten a given sequence (the ring keeps ~1,500 records
/// here). Bounded: it gives up after <c>maxRecords</c>. Its records are level 6 (info, not sent to the console) and
/// carry the caller's marker; the kernel log cannot be cleared, so they stay until the ring overwrites them.
/// </summary>
public static class KernelLogRingFiller
{
    private const int RecordsPerDescriptor = 8;

    /// <summary>Writes <paramref name="text"/> once at <paramref name="level"/>, through a descriptor of its own.</summary>
    public static void WriteOne(int level, string text)
    {
        using var writer = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        writer.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"<{level}>{text}\n")));
    }

    /// <summary>
    /// Writes filler records until the ring no longer holds <paramref name="sequence"/> (its oldest record is past it);
    /// returns how many it wrote. Throws when <paramref name="maxRecords"/> did not get there.
    /// </summary>
    public static int WrapPast(ulong sequence, string marker, int maxRecords = 100_000)
    {
        var written = 0;
        while (OldestSequence() <= sequence)
        {
            if (written >= maxRecords)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{written} filler records did not make the kernel's ring overwrite sequence {sequence} (oldest kept: {OldestSequence()})."));
            }

            for (var d = 0; d < 32; d++)
            {
                using var writer = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
                for (var i = 0; i < RecordsPerDescriptor; i++)
                {
                    writer.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                        $"<6>fault-agent-tests: ring filler {marker} #{written} padding the record to about a hundred bytes\n")));
                    written++;
                }
            }
        }

        return written;
    }

    /// <summary>The sequence of the oldest record the kernel's ring holds (a fresh reader's first record).</summary>
    public static ulong OldestSequence()
    {
        using var reader = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = reader.Read(buffer);
            }
            catch (IOException)
            {
                continue; // EPIPE: the ring moved on between the open and the read; the next read is its oldest record
            }

            var header = Encoding.ASCII.GetString(buffer, 0, Math.Min(n, 64)).Split(',');
            return ulong.Parse(header[1], CultureInfo.InvariantCulture);
        }
    }
}
