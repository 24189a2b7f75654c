using System.Globalization;

namespace FaultInjection.TestSupport;

/// <summary>
/// The inotify watches a process holds, as the kernel lists them (<c>/proc/&lt;pid&gt;/fdinfo/&lt;fd&gt;</c>: one
/// <c>inotify wd:…</c> line per watch on each inotify descriptor).
/// </summary>
public static class InotifyWatches
{
    public static int Count(int pid)
    {
        var count = 0;
        foreach (var info in Directory.EnumerateFiles(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/fdinfo")))
        {
            try
            {
                count += File.ReadLines(info).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                // The descriptor was closed while we listed them.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read (the process is not ours); counted as none.
            }
        }

        return count;
    }
}
