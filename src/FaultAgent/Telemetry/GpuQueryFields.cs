namespace FaultAgent.Telemetry;

/// <summary>
/// The <c>--query-gpu</c> fields the agent asks for (names from <c>nvidia-smi --help-query-gpu</c>). The required ones exist
/// in every driver; the others may be unknown to an old nvidia-smi (row remapping came with Ampere-era drivers) and are
/// dropped from the query when the tool rejects them.
/// </summary>
public static class GpuQueryFields
{
    public static IReadOnlyList<GpuQueryField> All { get; } =
    [
        new("index", true, (m, v) => m with { Index = NvidiaSmiValue.AsInt(v) ?? -1 }),
        new("uuid", true, (m, v) => m with { Uuid = NvidiaSmiValue.AsText(v) ?? "" }),
        new("name", true, (m, v) => m with { Name = NvidiaSmiValue.AsText(v) ?? "" }),
        new("pci.bus_id", true, (m, v) => m with { PciBusId = PciBusIdFormat.ToProcfs(NvidiaSmiValue.AsText(v) ?? "") }),
        new("driver_version", true, (m, v) => m with { DriverVersion = NvidiaSmiValue.AsText(v) ?? "" }),
        new("pstate", false, (m, v) => m with { Pstate = NvidiaSmiValue.AsText(v) ?? "" }),
        new("temperature.gpu", false, (m, v) => m with { TemperatureC = NvidiaSmiValue.AsDouble(v) }),
        new("utilization.gpu", false, (m, v) => m with { UtilizationGpuPercent = NvidiaSmiValue.AsDouble(v) }),
        new("utilization.memory", false, (m, v) => m with { UtilizationMemoryPercent = NvidiaSmiValue.AsDouble(v) }),
        new("memory.total", false, (m, v) => m with { MemoryTotalMib = NvidiaSmiValue.AsDouble(v) }),
        new("memory.used", false, (m, v) => m with { MemoryUsedMib = NvidiaSmiValue.AsDouble(v) }),
        new("memory.free", false, (m, v) => m with { MemoryFreeMib = NvidiaSmiValue.AsDouble(v) }),
        new("power.draw", false, (m, v) => m with { PowerDrawW = NvidiaSmiValue.AsDouble(v) }),
        new("power.limit", false, (m, v) => m with { PowerLimitW = NvidiaSmiValue.AsDouble(v) }),
        new("pcie.link.gen.current", false, (m, v) => m with { PcieLinkGenCurrent = NvidiaSmiValue.AsInt(v) }),
        new("pcie.link.gen.max", false, (m, v) => m with { PcieLinkGenMax = NvidiaSmiValue.AsInt(v) }),
        new("pcie.link.width.current", false, (m, v) => m with { PcieLinkWidthCurrent = NvidiaSmiValue.AsInt(v) }),
        new("pcie.link.width.max", false, (m, v) => m with { PcieLinkWidthMax = NvidiaSmiValue.AsInt(v) }),
        new("clocks.current.graphics", false, (m, v) => m with { ClocksGraphicsMhz = NvidiaSmiValue.AsDouble(v) }),
        new("clocks.current.sm", false, (m, v) => m with { ClocksSmMhz = NvidiaSmiValue.AsDouble(v) }),
        new("clocks.current.memory", false, (m, v) => m with { ClocksMemoryMhz = NvidiaSmiValue.AsDouble(v) }),
        new("ecc.errors.corrected.volatile.total", false, (m, v) => m with { EccErrorsCorrectedVolatile = NvidiaSmiValue.AsLong(v) }),
        new("ecc.errors.uncorrected.volatile.total", false, (m, v) => m with { EccErrorsUncorrectedVolatile = NvidiaSmiValue.AsLong(v) }),
        new("ecc.errors.corrected.aggregate.total", false, (m, v) => m with { EccErrorsCorrectedAggregate = NvidiaSmiValue.AsLong(v) }),
        new("ecc.errors.uncorrected.aggregate.total", false, (m, v) => m with { EccErrorsUncorrectedAggregate = NvidiaSmiValue.AsLong(v) }),
        new("retired_pages.sbe", false, (m, v) => m with { RetiredPagesSingleBit = NvidiaSmiValue.AsLong(v) }),
        new("retired_pages.dbe", false, (m, v) => m with { RetiredPagesDoubleBit = NvidiaSmiValue.AsLong(v) }),
        new("retired_pages.pending", false, (m, v) => m with { RetiredPagesPending = NvidiaSmiValue.AsBool(v) }),
        new("remapped_rows.correctable", false, (m, v) => m with { RemappedRowsCorrectable = NvidiaSmiValue.AsLong(v) }),
        new("remapped_rows.uncorrectable", false, (m, v) => m with { RemappedRowsUncorrectable = NvidiaSmiValue.AsLong(v) }),
        new("remapped_rows.pending", false, (m, v) => m with { RemappedRowsPending = NvidiaSmiValue.AsBool(v) }),
        new("remapped_rows.failure", false, (m, v) => m with { RemappedRowsFailure = NvidiaSmiValue.AsBool(v) }),
    ];

    /// <summary>Finds a field of <see cref="All"/> by name.</summary>
    public static GpuQueryField Get(string name) =>
        All.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"unknown query field '{name}'", nameof(name));
}
