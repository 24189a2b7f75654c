using System.Globalization;

namespace FaultAgent.Dcgm;

/// <summary>
/// Reads one value from <c>dcgmi dmon -e &lt;field&gt; -i &lt;gpu&gt; -c 1</c>: a "#Entity" header of short field names, an "ID"
/// line of units, then a row "GPU &lt;id&gt;  &lt;value&gt;" per GPU (the way NVIDIA's own tests read it: the row's last token;
/// "N/A" when DCGM holds no value).
/// </summary>
public static class DcgmDmonParser
{
    /// <summary>The value printed for DCGM GPU <paramref name="dcgmGpuId"/>; null when the output has no such row.</summary>
    public static string? ReadValue(string output, int dcgmGpuId)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0 || !lines[0].StartsWith("#Entity", StringComparison.Ordinal))
        {
            return null;
        }

        var id = dcgmGpuId.ToString(CultureInfo.InvariantCulture);
        foreach (var line in lines.Skip(1))
        {
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length >= 3 && tokens[0] == "GPU" && tokens[1] == id)
            {
                return tokens[^1];
            }
        }

        return null;
    }
}
