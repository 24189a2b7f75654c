using FaultInjection.Agent.V1;

namespace FaultApi.Gpu;

/// <summary>The agent's telemetry messages to the API's resources (unset optional fields become null).</summary>
public static class GpuResourceMapper
{
    public static GpuNodeResource FromTelemetry(string nodeName, GpuTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var gpus = telemetry.Gpus.Select(g => FromMetrics(nodeName, g)).ToList();
        return new GpuNodeResource(nodeName, telemetry.CollectedAt?.ToDateTimeOffset(), telemetry.DriverVersion, telemetry.Cached, gpus.Count, gpus);
    }

    public static GpuMetricsResource FromMetrics(string nodeName, GpuMetrics g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return new GpuMetricsResource(
            nodeName,
            g.Index,
            g.Uuid,
            g.Name,
            g.PciBusId,
            g.DriverVersion,
            g.Pstate,
            g.HasTemperatureC ? g.TemperatureC : null,
            g.HasUtilizationGpuPercent ? g.UtilizationGpuPercent : null,
            g.HasUtilizationMemoryPercent ? g.UtilizationMemoryPercent : null,
            g.HasMemoryTotalMib ? g.MemoryTotalMib : null,
            g.HasMemoryUsedMib ? g.MemoryUsedMib : null,
            g.HasMemoryFreeMib ? g.MemoryFreeMib : null,
            g.HasPowerDrawW ? g.PowerDrawW : null,
            g.HasPowerLimitW ? g.PowerLimitW : null,
            g.HasPcieLinkGenCurrent ? g.PcieLinkGenCurrent : null,
            g.HasPcieLinkGenMax ? g.PcieLinkGenMax : null,
            g.HasPcieLinkWidthCurrent ? g.PcieLinkWidthCurrent : null,
            g.HasPcieLinkWidthMax ? g.PcieLinkWidthMax : null,
            g.HasClocksGraphicsMhz ? g.ClocksGraphicsMhz : null,
            g.HasClocksSmMhz ? g.ClocksSmMhz : null,
            g.HasClocksMemoryMhz ? g.ClocksMemoryMhz : null,
            g.HasEccErrorsCorrectedVolatile ? g.EccErrorsCorrectedVolatile : null,
            g.HasEccErrorsUncorrectedVolatile ? g.EccErrorsUncorrectedVolatile : null,
            g.HasEccErrorsCorrectedAggregate ? g.EccErrorsCorrectedAggregate : null,
            g.HasEccErrorsUncorrectedAggregate ? g.EccErrorsUncorrectedAggregate : null,
            g.HasRetiredPagesSingleBit ? g.RetiredPagesSingleBit : null,
            g.HasRetiredPagesDoubleBit ? g.RetiredPagesDoubleBit : null,
            g.HasRetiredPagesPending ? g.RetiredPagesPending : null,
            g.HasRemappedRowsCorrectable ? g.RemappedRowsCorrectable : null,
            g.HasRemappedRowsUncorrectable ? g.RemappedRowsUncorrectable : null,
            g.HasRemappedRowsPending ? g.RemappedRowsPending : null,
            g.HasRemappedRowsFailure ? g.RemappedRowsFailure : null);
    }

    public static GpuProcessResource FromProcess(string nodeName, GpuProcess p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new GpuProcessResource(nodeName, p.GpuIndex, p.GpuUuid, p.Pid, p.ProcessName, p.HasUsedMemoryMib ? p.UsedMemoryMib : null);
    }

    public static PmonSampleResource FromPmon(string nodeName, PmonSample s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new PmonSampleResource(
            nodeName,
            s.GpuIndex,
            s.HasPid ? s.Pid : null,
            s.Type,
            s.HasSmPercent ? s.SmPercent : null,
            s.HasMemPercent ? s.MemPercent : null,
            s.HasEncPercent ? s.EncPercent : null,
            s.HasDecPercent ? s.DecPercent : null,
            s.HasJpgPercent ? s.JpgPercent : null,
            s.HasOfaPercent ? s.OfaPercent : null,
            s.Command);
    }
}
