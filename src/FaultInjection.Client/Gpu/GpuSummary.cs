using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Gpu;

/// <summary>Fleet totals (<c>GET /api/v1/gpu/summary</c>); nulls are left out of averages, maxima and sums.</summary>
public sealed class GpuSummary
{
    public int NodeCount { get; init; }

    public int GpuCount { get; init; }

    public IReadOnlyList<GpuModelSummary> Models { get; init; } = [];

    public double? AverageTemperatureCelsius { get; init; }

    public double? MaxTemperatureCelsius { get; init; }

    public double? AverageGpuUtilizationPercent { get; init; }

    public double? MaxGpuUtilizationPercent { get; init; }

    public double? TotalMemoryMib { get; init; }

    public double? UsedMemoryMib { get; init; }

    public double? MemoryUtilizationPercent { get; init; }

    public double? TotalPowerDrawWatts { get; init; }

    public double? TotalPowerLimitWatts { get; init; }

    public int GpusWithUncorrectedEccErrors { get; init; }

    public int GpusWithPendingRemaps { get; init; }

    public IReadOnlyList<GpuReference> UncorrectedEccErrorGpus { get; init; } = [];

    public IReadOnlyList<GpuReference> PendingRemapGpus { get; init; } = [];

    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
