using System.Globalization;

namespace FaultAgent.Tests.HostProcesses;

/// <summary>Reads the test machine's /proc: which live processes carry a marker in their command line.</summary>
internal static class ProcessTable
{
    public static IReadOnlyList<int> FindByMarker(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                // nsenter (the runner's own leader) carries the marker too; only the tool's processes count.
                if (cmdline.Contains(marker, StringComparison.Ordinal) && !cmdline.StartsWith("nsenter", StringComparison.Ordinal)
                    && !cmdline.StartsWith("/usr/bin/nsenter", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>True while the process exists and is not a zombie (a killed child of a non-reaping init stays a zombie).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
