using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Gpu;

/// <summary>Fleet totals (<c>GET /api/v1/gpu/summary</c>); nulls are left out of averages, maxima and sums.</summary>
public sealed class GpuSummary
{
    /// <summary>How many nodes answered.</summary>
    public int NodeCount { get; init; }

    /// <summary>How many GPUs they hold.</summary>
    public int GpuCount { get; init; }

    /// <summary>GPUs per model.</summary>
    public IReadOnlyList<GpuModelSummary> Models { get; init; } = [];

    /// <summary>The mean GPU temperature in °C.</summary>
    public double? AverageTemperatureCelsius { get; init; }

    /// <summary>The hottest GPU's temperature in °C.</summary>
    public double? MaxTemperatureCelsius { get; init; }

    /// <summary>The mean GPU utilization in percent.</summary>
    public double? AverageGpuUtilizationPercent { get; init; }

    /// <summary>The busiest GPU's utilization in percent.</summary>
    public double? MaxGpuUtilizationPercent { get; init; }

    /// <summary>Total framebuffer memory in MiB.</summary>
    public double? TotalMemoryMib { get; init; }

    /// <summary>Used framebuffer memory in MiB.</summary>
    public double? UsedMemoryMib { get; init; }

    /// <summary>Used over total framebuffer memory in percent.</summary>
    public double? MemoryUtilizationPercent { get; init; }

    /// <summary>Total power draw in watts.</summary>
    public double? TotalPowerDrawWatts { get; init; }

    /// <summary>Total power limit in watts.</summary>
    public double? TotalPowerLimitWatts { get; init; }

    /// <summary>How many GPUs have uncorrected ECC errors.</summary>
    public int GpusWithUncorrectedEccErrors { get; init; }

    /// <summary>How many GPUs have a row remap or page retirement pending.</summary>
    public int GpusWithPendingRemaps { get; init; }

    /// <summary>The GPUs with uncorrected ECC errors.</summary>
    public IReadOnlyList<GpuReference> UncorrectedEccErrorGpus { get; init; } = [];

    /// <summary>The GPUs with a remap or retirement pending.</summary>
    public IReadOnlyList<GpuReference> PendingRemapGpus { get; init; } = [];

    /// <summary>The nodes whose agents did not answer, and why.</summary>
    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
