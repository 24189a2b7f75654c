namespace FaultAgent.Telemetry;

/// <summary>
/// Parses <c>nvidia-smi --query-gpu=&lt;fields&gt; --format=csv,noheader,nounits</c> output (a header line and unit suffixes
/// are tolerated). A row with the wrong number of columns or without a readable index (e.g. "Unable to determine the
/// device handle for GPU0000:02:00.0: Unknown Error", or a row of <c>[Unknown Error]</c> for a broken GPU) is skipped and
/// reported, never turned into a GPU with zeros.
/// </summary>
public static class GpuQueryParser
{
    public static GpuQueryResult Parse(string output, IReadOnlyList<GpuQueryField> fields)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(fields);
        var gpus = new List<GpuMetrics>();
        var skipped = new List<string>();
        var indexColumn = IndexOf(fields, "index");

        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var columns = line.Split(',');
            if (columns.Length != fields.Count)
            {
                skipped.Add(line);
                continue;
            }

            if (IsHeader(columns, fields))
            {
                continue;
            }

            if (indexColumn >= 0 && NvidiaSmiValue.AsInt(columns[indexColumn]) is null)
            {
                skipped.Add(line);
                continue;
            }

            var gpu = new GpuMetrics();
            for (var i = 0; i < fields.Count; i++)
            {
                gpu = fields[i].Apply(gpu, columns[i].Trim());
            }

            gpus.Add(gpu);
        }

        return new GpuQueryResult(gpus, skipped);
    }

    private static bool IsHeader(string[] columns, IReadOnlyList<GpuQueryField> fields)
    {
        var first = columns[0].Trim();
        var space = first.IndexOf(' ', StringComparison.Ordinal);
        return (space < 0 ? first : first[..space]) == fields[0].Name;
    }

    private static int IndexOf(IReadOnlyList<GpuQueryField> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
