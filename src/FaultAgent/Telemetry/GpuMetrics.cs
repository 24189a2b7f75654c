namespace FaultAgent.Telemetry;

/// <summary>
/// One GPU's readings from <c>nvidia-smi --query-gpu</c>. A value nvidia-smi did not give (not asked for, <c>[N/A]</c>,
/// <c>[Not Supported]</c>, an error token) is null, never 0; a text it did not give is empty.
/// </summary>
public sealed record GpuMetrics
{
    /// <summary>nvidia-smi's index; -1 when the row's index was unreadable.</summary>
    public int Index { get; init; }

    public string Uuid { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>The procfs form (<c>0000:18:00.0</c>), as under /proc/driver/nvidia/gpus.</summary>
    public string PciBusId { get; init; } = "";

    public string DriverVersion { get; init; } = "";

    public string Pstate { get; init; } = "";

    public double? TemperatureC { get; init; }

    public double? UtilizationGpuPercent { get; init; }

    public double? UtilizationMemoryPercent { get; init; }

    public double? MemoryTotalMib { get; init; }

    public double? MemoryUsedMib { get; init; }

    public double? MemoryFreeMib { get; init; }

    public double? PowerDrawW { get; init; }

    public double? PowerLimitW { get; init; }

    public int? PcieLinkGenCurrent { get; init; }

    public int? PcieLinkGenMax { get; init; }

    public int? PcieLinkWidthCurrent { get; init; }

    public int? PcieLinkWidthMax { get; init; }

    public double? ClocksGraphicsMhz { get; init; }

    public double? ClocksSmMhz { get; init; }

    public double? ClocksMemoryMhz { get; init; }

    public long? EccErrorsCorrectedVolatile { get; init; }

    public long? EccErrorsUncorrectedVolatile { get; init; }

    public long? EccErrorsCorrectedAggregate { get; init; }

    public long? EccErrorsUncorrectedAggregate { get; init; }

    public long? RetiredPagesSingleBit { get; init; }

    public long? RetiredPagesDoubleBit { get; init; }

    public bool? RetiredPagesPending { get; init; }

    public long? RemappedRowsCorrectable { get; init; }

    public long? RemappedRowsUncorrectable { get; init; }

    public bool? RemappedRowsPending { get; init; }

    public bool? RemappedRowsFailure { get; init; }
}
