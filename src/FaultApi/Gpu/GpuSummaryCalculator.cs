using FaultApi.Agents;

namespace FaultApi.Gpu;

/// <summary>Fleet totals from the nodes' GPU metrics; a null value is left out of averages, maxima and sums.</summary>
public static class GpuSummaryCalculator
{
    public static GpuSummaryResource Summarize(IReadOnlyList<GpuNodeResource> nodes, IReadOnlyList<NodeError> errors)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(errors);
        var gpus = nodes.SelectMany(n => n.Gpus).ToList();
        var models = gpus
            .GroupBy(g => g.Name.Length > 0 ? g.Name : "unknown", StringComparer.Ordinal)
            .Select(g => new GpuModelSummaryResource(g.Key, g.Count(), g.Select(x => x.NodeName).Distinct(StringComparer.Ordinal).Count()))
            .OrderByDescending(m => m.GpuCount)
            .ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        var withMemory = gpus.Where(g => g.MemoryUsedMib is not null && g.MemoryTotalMib is not null).ToList();
        var memoryTotalOfBoth = withMemory.Sum(g => g.MemoryTotalMib!.Value);
        var ecc = gpus.Where(g => g.HasUncorrectedEccErrors).Select(Reference).ToList();
        var remaps = gpus.Where(g => g.HasPendingRemap).Select(Reference).ToList();
        return new GpuSummaryResource(
            nodes.Count,
            gpus.Count,
            models,
            Round(Average(gpus.Select(g => g.TemperatureCelsius))),
            Max(gpus.Select(g => g.TemperatureCelsius)),
            Round(Average(gpus.Select(g => g.UtilizationGpuPercent))),
            Max(gpus.Select(g => g.UtilizationGpuPercent)),
            Sum(gpus.Select(g => g.MemoryTotalMib)),
            Sum(gpus.Select(g => g.MemoryUsedMib)),
            memoryTotalOfBoth > 0 ? Round(withMemory.Sum(g => g.MemoryUsedMib!.Value) / memoryTotalOfBoth * 100) : null,
            Round(Sum(gpus.Select(g => g.PowerDrawWatts))),
            Round(Sum(gpus.Select(g => g.PowerLimitWatts))),
            ecc.Count,
            remaps.Count,
            ecc,
            remaps,
            errors);
    }

    private static GpuReferenceResource Reference(GpuMetricsResource gpu) => new(gpu.NodeName, gpu.Index, gpu.Uuid, gpu.PciBusId);

    private static double? Average(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return known.Count == 0 ? null : known.Average();
    }

    private static double? Max(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return known.Count == 0 ? null : known.Max();
    }

    private static double? Sum(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return known.Count == 0 ? null : known.Sum();
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2, MidpointRounding.AwayFromZero) : null;
}
