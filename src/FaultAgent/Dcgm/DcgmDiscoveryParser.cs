using System.Globalization;
using System.Text.RegularExpressions;

namespace FaultAgent.Dcgm;

/// <summary>
/// Reads the GPU table of <c>dcgmi discovery -l</c>: "N GPUs found." (3.x to 4.4) or "N GPUs found (Active)." (4.5 and
/// later), then a box of rows "| &lt;GPU ID&gt; | Name: ...", "|  | PCI Bus ID: ...", "|  | Device UUID: ..."; the NvSwitch,
/// ConnectX and CPU sections that follow are not GPUs. A " (last known)" suffix (4.5 and later, GPUs that are not OK) is
/// dropped from the values.
/// </summary>
public static partial class DcgmDiscoveryParser
{
    private const string LastKnown = " (last known)";

    /// <summary>The GPUs listed; null when the output has no GPU table at all (not discovery output).</summary>
    public static IReadOnlyList<DcgmGpu>? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        List<DcgmGpu>? gpus = null;
        int? id = null;
        string name = "", busId = "", uuid = "";

        void Flush()
        {
            if (id is { } gpuId && busId.Length > 0)
            {
                gpus!.Add(new DcgmGpu(gpuId, name, busId, uuid));
            }

            id = null;
            name = busId = uuid = "";
        }

        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (gpus is null)
            {
                if (GpuCountLine().IsMatch(line))
                {
                    gpus = [];
                }

                continue;
            }

            if (SectionCountLine().IsMatch(line))
            {
                break; // "0 NvSwitches found." and the sections after it
            }

            if (!line.StartsWith('|'))
            {
                continue;
            }

            var cells = line.Split('|');
            if (cells.Length < 4)
            {
                continue;
            }

            var idCell = cells[1].Trim();
            var info = cells[2].Trim();
            if (idCell.Length > 0)
            {
                Flush();
                if (!int.TryParse(idCell, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    continue; // the "GPU ID | Device Information" header
                }

                id = parsed;
            }

            if (id is null)
            {
                continue;
            }

            if (info.StartsWith("Name: ", StringComparison.Ordinal))
            {
                name = Value(info, "Name: ");
            }
            else if (info.StartsWith("PCI Bus ID: ", StringComparison.Ordinal))
            {
                busId = Value(info, "PCI Bus ID: ");
            }
            else if (info.StartsWith("Device UUID: ", StringComparison.Ordinal))
            {
                uuid = Value(info, "Device UUID: ");
            }
        }

        if (gpus is not null)
        {
            Flush();
        }

        return gpus;
    }

    private static string Value(string info, string label)
    {
        var value = info[label.Length..].Trim();
        return value.EndsWith(LastKnown, StringComparison.Ordinal) ? value[..^LastKnown.Length].TrimEnd() : value;
    }

    [GeneratedRegex(@"^\d+ GPUs? found( \((Active|All)\))?\.$", RegexOptions.CultureInvariant)]
    private static partial Regex GpuCountLine();

    [GeneratedRegex(@"^\d+ [A-Za-z]+ found( \([A-Za-z]+\))?\.$", RegexOptions.CultureInvariant)]
    private static partial Regex SectionCountLine();
}
