namespace FaultAgent.Telemetry;

/// <summary>
/// Parses <c>nvidia-smi pmon</c> output by its header (<c># gpu pid type sm mem enc dec [jpg ofa] command</c>, with or without
/// <c>fb</c>/<c>ccpm</c>): old and new drivers order and name the columns differently. <c>-</c> is "no value"; an idle GPU
/// prints a row of <c>-</c> and becomes a sample with no pid.
/// </summary>
public static class PmonParser
{
    public static IReadOnlyList<PmonSample> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var samples = new List<PmonSample>();
        string[]? columns = null;
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var names = line.TrimStart('#').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (names.Length > 0 && names[0] == "gpu")
                {
                    columns = names; // the unit line ("# Idx # C/G ...") is not a header
                }

                continue;
            }

            if (columns is null)
            {
                continue;
            }

            var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (values.Length < columns.Length || NvidiaSmiValue.AsInt(values[0]) is not { } gpuIndex)
            {
                continue;
            }

            var sample = new PmonSample { GpuIndex = gpuIndex };
            for (var i = 1; i < columns.Length; i++)
            {
                // The command is the last column and may contain spaces.
                var value = columns[i] == "command" ? string.Join(' ', values[i..]) : values[i];
                sample = Apply(sample, columns[i], value);
            }

            samples.Add(sample);
        }

        return samples;
    }

    private static PmonSample Apply(PmonSample sample, string column, string value) => column switch
    {
        "pid" => sample with { Pid = NvidiaSmiValue.AsLong(value) },
        "type" => sample with { Type = NvidiaSmiValue.AsText(value) ?? "" },
        "sm" => sample with { SmPercent = NvidiaSmiValue.AsDouble(value) },
        "mem" => sample with { MemPercent = NvidiaSmiValue.AsDouble(value) },
        "enc" => sample with { EncPercent = NvidiaSmiValue.AsDouble(value) },
        "dec" => sample with { DecPercent = NvidiaSmiValue.AsDouble(value) },
        "jpg" => sample with { JpgPercent = NvidiaSmiValue.AsDouble(value) },
        "ofa" => sample with { OfaPercent = NvidiaSmiValue.AsDouble(value) },
        "command" => sample with { Command = NvidiaSmiValue.AsText(value) ?? "" },
        _ => sample, // fb, ccpm and future columns the contract does not carry
    };
}
