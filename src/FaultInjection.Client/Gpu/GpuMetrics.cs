namespace FaultInjection.Client.Gpu;

/// <summary>One GPU's nvidia-smi metrics; a value nvidia-smi did not report is null, never 0.</summary>
public sealed class GpuMetrics
{
    public string NodeName { get; init; } = "";

    public int Index { get; init; }

    public string Uuid { get; init; } = "";

    public string Name { get; init; } = "";

    public string PciBusId { get; init; } = "";

    public string DriverVersion { get; init; } = "";

    public string Pstate { get; init; } = "";

    public double? TemperatureCelsius { get; init; }

    public double? UtilizationGpuPercent { get; init; }

    public double? UtilizationMemoryPercent { get; init; }

    public double? MemoryTotalMib { get; init; }

    public double? MemoryUsedMib { get; init; }

    public double? MemoryFreeMib { get; init; }

    public double? PowerDrawWatts { get; init; }

    public double? PowerLimitWatts { get; init; }

    public int? PcieGeneration { get; init; }

    public int? PcieGenerationMax { get; init; }

    public int? PcieLinkWidth { get; init; }

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
