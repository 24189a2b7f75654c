using System.Globalization;

namespace FaultInjection.Benchmarks;

/// <summary>
/// The page cache's dirty and under-writeback bytes (<c>/proc/meminfo</c> Dirty, Writeback) and the pages written back
/// since boot (<c>/proc/vmstat</c> nr_written), read at a phase's edges: what the kernel is still flushing to the disk the
/// journal's fsyncs wait on (#14: why the first latency phase was slower than the same calls later in the run).
/// </summary>
public readonly record struct DiskState(long DirtyKilobytes, long WritebackKilobytes, long PagesWritten)
{
    public static DiskState Read()
    {
        long Field(string file, string name, char separator)
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.StartsWith(name + separator, StringComparison.Ordinal))
                {
                    var value = line[(name.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(value, CultureInfo.InvariantCulture);
                }
            }

            return -1;
        }

        return new DiskState(Field("/proc/meminfo", "Dirty", ':'), Field("/proc/meminfo", "Writeback", ':'), Field("/proc/vmstat", "nr_written", ' '));
    }

    /// <summary>One line: the state now and the pages written back since <paramref name="earlier"/>.</summary>
    public string Since(DiskState earlier) => string.Create(CultureInfo.InvariantCulture,
        $"dirty {DirtyKilobytes} kB, writeback {WritebackKilobytes} kB, {(PagesWritten - earlier.PagesWritten) * 4} kB written back since the previous reading, load {ResultTable.LoadAverage()}");
}
