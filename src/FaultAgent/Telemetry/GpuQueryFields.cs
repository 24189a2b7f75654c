using FaultInjection.Agent.V1;

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
        new("index", true, (m, v) => m.Index = NvidiaSmiValue.AsInt(v) ?? -1),
        new("uuid", true, (m, v) => m.Uuid = NvidiaSmiValue.AsText(v) ?? ""),
        new("name", true, (m, v) => m.Name = NvidiaSmiValue.AsText(v) ?? ""),
        new("pci.bus_id", true, (m, v) => m.PciBusId = PciBusIdFormat.ToProcfs(NvidiaSmiValue.AsText(v) ?? "")),
        new("driver_version", true, (m, v) => m.DriverVersion = NvidiaSmiValue.AsText(v) ?? ""),
        new("pstate", false, (m, v) => m.Pstate = NvidiaSmiValue.AsText(v) ?? ""),
        new("temperature.gpu", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.TemperatureC = x)),
        new("utilization.gpu", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.UtilizationGpuPercent = x)),
        new("utilization.memory", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.UtilizationMemoryPercent = x)),
        new("memory.total", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.MemoryTotalMib = x)),
        new("memory.used", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.MemoryUsedMib = x)),
        new("memory.free", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.MemoryFreeMib = x)),
        new("power.draw", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.PowerDrawW = x)),
        new("power.limit", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.PowerLimitW = x)),
        new("pcie.link.gen.current", false, (m, v) => Set(NvidiaSmiValue.AsInt(v), x => m.PcieLinkGenCurrent = x)),
        new("pcie.link.gen.max", false, (m, v) => Set(NvidiaSmiValue.AsInt(v), x => m.PcieLinkGenMax = x)),
        new("pcie.link.width.current", false, (m, v) => Set(NvidiaSmiValue.AsInt(v), x => m.PcieLinkWidthCurrent = x)),
        new("pcie.link.width.max", false, (m, v) => Set(NvidiaSmiValue.AsInt(v), x => m.PcieLinkWidthMax = x)),
        new("clocks.current.graphics", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.ClocksGraphicsMhz = x)),
        new("clocks.current.sm", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.ClocksSmMhz = x)),
        new("clocks.current.memory", false, (m, v) => Set(NvidiaSmiValue.AsDouble(v), x => m.ClocksMemoryMhz = x)),
        new("ecc.errors.corrected.volatile.total", false, (m, v) => Set(NvidiaSmiValue.AsLong(v), x => m.EccErrorsCorrectedVolatile = x)),
        new("ecc.errors.uncorrected.volatile.total", false, (m, v) => Set(NvidiaSmiValue.AsLong(v), x => m.EccErrorsUncorrectedVolatile = x)),
        new("ecc.errors.corrected.aggregate.total", false, (m, v) => Set(NvidiaSmiValue.AsLong(v), x => m.EccErrorsCorrectedAggregate = x)),
        new("ecc.errors.uncorrected.aggregate.total", false, (m, v) => Set(NvidiaSmiValue.AsLong(v), x => m.EccErrorsUncorrectedAggregate = x)),
        new("retired_pages.sbe", false, (m, v) => Set(NvidiaSmiValue.AsLong(v), x => m.RetiredPagesSingleBit = x)),
        new("retired_pages.dbe", false, (m, v) => Set(NvidiaSmiValue.AsLong(v), x => m.RetiredPagesDoubleBit = x)),
        new("retired_pages.pending", false, (m, v) => Set(NvidiaSmiValue.AsBool(v), x => m.RetiredPagesPending = x)),
        new("remapped_rows.correctable", false, (m, v) => Set(NvidiaSmiValue.AsLong(v), x => m.RemappedRowsCorrectable = x)),
        new("remapped_rows.uncorrectable", false, (m, v) => Set(NvidiaSmiValue.AsLong(v), x => m.RemappedRowsUncorrectable = x)),
        new("remapped_rows.pending", false, (m, v) => Set(NvidiaSmiValue.AsBool(v), x => m.RemappedRowsPending = x)),
        new("remapped_rows.failure", false, (m, v) => Set(NvidiaSmiValue.AsBool(v), x => m.RemappedRowsFailure = x)),
    ];

    /// <summary>Finds a field of <see cref="All"/> by name.</summary>
    public static GpuQueryField Get(string name) =>
        All.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"unknown query field '{name}'", nameof(name));

    private static void Set<T>(T? value, Action<T> assign)
        where T : struct
    {
        if (value is { } v)
        {
            assign(v);
        }
    }
}
