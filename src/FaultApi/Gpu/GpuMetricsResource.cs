namespace FaultApi.Gpu;

/// <summary>
/// One GPU's metrics from nvidia-smi (snake_case JSON). A value nvidia-smi did not report (<c>[N/A]</c>, not supported) is
/// null, never 0. Memory is in MiB, as nvidia-smi reports it.
/// </summary>
public sealed record GpuMetricsResource(
    string NodeName,
    int Index,
    string Uuid,
    string Name,
    string PciBusId,
    string DriverVersion,
    string Pstate,
    double? TemperatureCelsius,
    double? UtilizationGpuPercent,
    double? UtilizationMemoryPercent,
    double? MemoryTotalMib,
    double? MemoryUsedMib,
    double? MemoryFreeMib,
    double? PowerDrawWatts,
    double? PowerLimitWatts,
    int? PcieGeneration,
    int? PcieGenerationMax,
    int? PcieLinkWidth,
    int? PcieLinkWidthMax,
    double? ClocksGraphicsMhz,
    double? ClocksSmMhz,
    double? ClocksMemoryMhz,
    long? EccErrorsCorrectedVolatile,
    long? EccErrorsUncorrectedVolatile,
    long? EccErrorsCorrectedAggregate,
    long? EccErrorsUncorrectedAggregate,
    long? RetiredPagesSingleBit,
    long? RetiredPagesDoubleBit,
    bool? RetiredPagesPending,
    long? RemappedRowsCorrectable,
    long? RemappedRowsUncorrectable,
    bool? RemappedRowsPending,
    bool? RemappedRowsFailure)
{
    /// <summary>Uncorrected ECC errors, volatile or aggregate.</summary>
    public bool HasUncorrectedEccErrors => EccErrorsUncorrectedVolatile > 0 || EccErrorsUncorrectedAggregate > 0;

    /// <summary>A row remap or page retirement waits for the next GPU reset.</summary>
    public bool HasPendingRemap => RemappedRowsPending == true || RetiredPagesPending == true;
}
