namespace FaultInjection.Client.Gpu;

/// <summary>One GPU's nvidia-smi metrics; a value nvidia-smi did not report is null, never 0.</summary>
public sealed class GpuMetrics
{
    /// <summary>The node.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>nvidia-smi's GPU index.</summary>
    public int Index { get; init; }

    /// <summary>The GPU's UUID.</summary>
    public string Uuid { get; init; } = "";

    /// <summary>The product name (<c>NVIDIA H100 80GB HBM3</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The PCI bus id.</summary>
    public string PciBusId { get; init; } = "";

    /// <summary>The driver version.</summary>
    public string DriverVersion { get; init; } = "";

    /// <summary>The performance state (<c>P0</c>..<c>P12</c>).</summary>
    public string Pstate { get; init; } = "";

    /// <summary>The GPU temperature in °C.</summary>
    public double? TemperatureCelsius { get; init; }

    /// <summary>GPU utilization in percent.</summary>
    public double? UtilizationGpuPercent { get; init; }

    /// <summary>Memory controller utilization in percent.</summary>
    public double? UtilizationMemoryPercent { get; init; }

    /// <summary>Total framebuffer memory in MiB.</summary>
    public double? MemoryTotalMib { get; init; }

    /// <summary>Used framebuffer memory in MiB.</summary>
    public double? MemoryUsedMib { get; init; }

    /// <summary>Free framebuffer memory in MiB.</summary>
    public double? MemoryFreeMib { get; init; }

    /// <summary>Power draw in watts.</summary>
    public double? PowerDrawWatts { get; init; }

    /// <summary>Power limit in watts.</summary>
    public double? PowerLimitWatts { get; init; }

    /// <summary>The current PCIe link generation.</summary>
    public int? PcieGeneration { get; init; }

    /// <summary>The highest PCIe link generation.</summary>
    public int? PcieGenerationMax { get; init; }

    /// <summary>The current PCIe link width (lanes).</summary>
    public int? PcieLinkWidth { get; init; }

    /// <summary>The widest PCIe link width (lanes).</summary>
    public int? PcieLinkWidthMax { get; init; }

    /// <summary>The graphics clock in MHz.</summary>
    public double? ClocksGraphicsMhz { get; init; }

    /// <summary>The SM clock in MHz.</summary>
    public double? ClocksSmMhz { get; init; }

    /// <summary>The memory clock in MHz.</summary>
    public double? ClocksMemoryMhz { get; init; }

    /// <summary>Corrected ECC errors since the driver loaded.</summary>
    public long? EccErrorsCorrectedVolatile { get; init; }

    /// <summary>Uncorrected ECC errors since the driver loaded.</summary>
    public long? EccErrorsUncorrectedVolatile { get; init; }

    /// <summary>Corrected ECC errors over the GPU's lifetime.</summary>
    public long? EccErrorsCorrectedAggregate { get; init; }

    /// <summary>Uncorrected ECC errors over the GPU's lifetime.</summary>
    public long? EccErrorsUncorrectedAggregate { get; init; }

    /// <summary>Pages retired for single-bit errors.</summary>
    public long? RetiredPagesSingleBit { get; init; }

    /// <summary>Pages retired for double-bit errors.</summary>
    public long? RetiredPagesDoubleBit { get; init; }

    /// <summary>True when a page retirement waits for the next reset.</summary>
    public bool? RetiredPagesPending { get; init; }

    /// <summary>Rows remapped for correctable errors.</summary>
    public long? RemappedRowsCorrectable { get; init; }

    /// <summary>Rows remapped for uncorrectable errors.</summary>
    public long? RemappedRowsUncorrectable { get; init; }

    /// <summary>True when a row remap waits for the next reset.</summary>
    public bool? RemappedRowsPending { get; init; }

    /// <summary>True when a row remap failed.</summary>
    public bool? RemappedRowsFailure { get; init; }
}
