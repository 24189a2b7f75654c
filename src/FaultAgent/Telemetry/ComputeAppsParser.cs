namespace FaultAgent.Telemetry;

/// <summary>
/// Parses <c>nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_memory --format=csv,noheader,nounits</c>.
/// The process name may itself contain commas, so uuid and pid are read from the left and memory from the right.
/// <c>[Not Found]</c> (a pid nvidia-smi cannot resolve) leaves the name empty.
/// </summary>
public static class ComputeAppsParser
{
    public static IReadOnlyList<GpuProcess> Parse(string output, IReadOnlyDictionary<string, int> gpuIndexByUuid)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(gpuIndexByUuid);
        var processes = new List<GpuProcess>();
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var columns = line.Split(',');
            if (columns.Length < 4)
            {
                continue;
            }

            var uuid = columns[0].Trim();
            if (uuid == "gpu_uuid" || NvidiaSmiValue.AsLong(columns[1]) is not { } pid)
            {
                continue; // header, or a row nvidia-smi could not fill
            }

            var name = string.Join(',', columns[2..^1]).Trim();
            processes.Add(new GpuProcess(
                uuid,
                gpuIndexByUuid.TryGetValue(uuid, out var index) ? index : -1,
                pid,
                NvidiaSmiValue.AsText(name) ?? "",
                NvidiaSmiValue.AsDouble(columns[^1])));
        }

        return processes;
    }
}
