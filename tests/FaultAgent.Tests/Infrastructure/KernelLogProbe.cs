using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// Independent views of the machine's kernel log for checking what the agent wrote: <c>dmesg --raw</c> (priority,
/// timestamp, text) and a plain reader of /dev/kmsg through .NET file APIs (sequence numbers), both separate from the
/// code under test.
/// </summary>
public static partial class KernelLogProbe
{
    /// <summary>Records from <c>dmesg --decode</c> whose text contains <paramref name="marker"/>: ("user:err", usec, text).</summary>
    public static List<(string Priority, ulong Microseconds, string Text)> Dmesg(string marker)
    {
        var start = new ProcessStartInfo("dmesg") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--decode");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var found = new List<(string, ulong, string)>();
        foreach (var line in output.Split('\n'))
        {
            if (!line.Contains(marker, StringComparison.Ordinal))
            {
                continue;
            }

            var match = DmesgRaw().Match(line);
            if (match.Success)
            {
                var micro = ulong.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) * 1_000_000
                    + ulong.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture);
                found.Add((match.Groups[1].Value + ":" + match.Groups[2].Value, micro, match.Groups[5].Value));
            }
        }

        return found;
    }

    /// <summary>
    /// Reads /dev/kmsg from its oldest record with a blocking .NET handle until every text in
    /// <paramref name="texts"/> was seen (call only after dmesg showed they are all there); returns text -> sequence.
    /// </summary>
    public static Dictionary<string, ulong> Sequences(IReadOnlyCollection<string> texts)
    {
        var wanted = new HashSet<string>(texts, StringComparer.Ordinal);
        var found = new Dictionary<string, ulong>(StringComparer.Ordinal);
        using var stream = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[16 * 1024];
        while (found.Count < wanted.Count)
        {
            int n;
            try
            {
                n = stream.Read(buffer);
            }
            catch (IOException)
            {
                continue; // EPIPE: overrun, the reader moves on to the oldest record kept
            }

            var record = Encoding.UTF8.GetString(buffer, 0, n);
            var semicolon = record.IndexOf(';', StringComparison.Ordinal);
            var newline = record.IndexOf('\n', StringComparison.Ordinal);
            var text = record[(semicolon + 1)..(newline < 0 ? record.Length : newline)];
            if (wanted.Contains(text))
            {
                var header = record[..semicolon].Split(',');
                found[text] = ulong.Parse(header[1], CultureInfo.InvariantCulture);
            }
        }

        return found;
    }

    /// <summary>
    /// Every record of /dev/kmsg, sequence -> text, read from the oldest kept with a blocking .NET handle until every text
    /// in <paramref name="texts"/> was seen (call only after dmesg showed they are all there).
    /// </summary>
    public static Dictionary<ulong, string> RecordsThrough(IReadOnlyCollection<string> texts)
    {
        var wanted = new HashSet<string>(texts, StringComparer.Ordinal);
        var records = new Dictionary<ulong, string>();
        using var stream = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[16 * 1024];
        while (wanted.Count > 0)
        {
            int n;
            try
            {
                n = stream.Read(buffer);
            }
            catch (IOException)
            {
                continue; // EPIPE: overrun, the reader moves on to the oldest record kept
            }

            var record = Encoding.UTF8.GetString(buffer, 0, n);
            var semicolon = record.IndexOf(';', StringComparison.Ordinal);
            var newline = record.IndexOf('\n', StringComparison.Ordinal);
            var text = record[(semicolon + 1)..(newline < 0 ? record.Length : newline)];
            records[ulong.Parse(record[..semicolon].Split(',')[1], CultureInfo.InvariantCulture)] = text;
            wanted.Remove(text);
        }

        return records;
    }

    [GeneratedRegex(@"^(\w+)\s*:(\w+)\s*: \[\s*(\d+)\.(\d{6})\] (.*)$")]
    private static partial Regex DmesgRaw();
}
