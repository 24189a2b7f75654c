using FaultApi.Agents;

namespace FaultApi.Gpu;

/// <summary>
/// <c>GET /api/v1/gpu/summary</c>: fleet totals over the nodes that answered. Averages, maxima and sums are over the GPUs
/// that reported the value (a null is left out, never counted as 0); null when no GPU reported it.
/// <c>memory_utilization_percent</c> is over the GPUs that reported both used and total memory.
/// </summary>
public sealed record GpuSummaryResource(
    int NodeCount,
    int GpuCount,
    IReadOnlyList<GpuModelSummaryResource> Models,
    double? AverageTemperatureCelsius,
    double? MaxTemperatureCelsius,
    double? AverageGpuUtilizationPercent,
    double? MaxGpuUtilizationPercent,
    double? TotalMemoryMib,
    double? UsedMemoryMib,
    double? MemoryUtilizationPercent,
    double? TotalPowerDrawWatts,
    double? TotalPowerLimitWatts,
    int GpusWithUncorrectedEccErrors,
    int GpusWithPendingRemaps,
    IReadOnlyList<GpuReferenceResource> UncorrectedEccErrorGpus,
    IReadOnlyList<GpuReferenceResource> PendingRemapGpus,
    IReadOnlyList<NodeError> Errors);
