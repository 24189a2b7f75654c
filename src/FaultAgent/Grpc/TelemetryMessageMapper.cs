using FaultAgent.Telemetry;
using Google.Protobuf.WellKnownTypes;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Grpc;

/// <summary>The telemetry domain types (nvidia-smi's readings) to the contract's messages; a null reading stays unset.</summary>
public static class TelemetryMessageMapper
{
    public static Proto.GpuTelemetry ToProto(this GpuTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var message = new Proto.GpuTelemetry
        {
            NodeName = telemetry.NodeName,
            CollectedAt = Timestamp.FromDateTimeOffset(telemetry.CollectedAt),
            DriverVersion = telemetry.DriverVersion,
            Cached = telemetry.Cached,
        };
        message.Gpus.AddRange(telemetry.Gpus.Select(ToProto));
        return message;
    }

    public static Proto.GpuMetrics ToProto(this GpuMetrics gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var message = new Proto.GpuMetrics
        {
            Index = gpu.Index,
            Uuid = gpu.Uuid,
            Name = gpu.Name,
            PciBusId = gpu.PciBusId,
            DriverVersion = gpu.DriverVersion,
            Pstate = gpu.Pstate,
        };
        Set(gpu.TemperatureC, v => message.TemperatureC = v);
        Set(gpu.UtilizationGpuPercent, v => message.UtilizationGpuPercent = v);
        Set(gpu.UtilizationMemoryPercent, v => message.UtilizationMemoryPercent = v);
        Set(gpu.MemoryTotalMib, v => message.MemoryTotalMib = v);
        Set(gpu.MemoryUsedMib, v => message.MemoryUsedMib = v);
        Set(gpu.MemoryFreeMib, v => message.MemoryFreeMib = v);
        Set(gpu.PowerDrawW, v => message.PowerDrawW = v);
        Set(gpu.PowerLimitW, v => message.PowerLimitW = v);
        Set(gpu.PcieLinkGenCurrent, v => message.PcieLinkGenCurrent = v);
        Set(gpu.PcieLinkGenMax, v => message.PcieLinkGenMax = v);
        Set(gpu.PcieLinkWidthCurrent, v => message.PcieLinkWidthCurrent = v);
        Set(gpu.PcieLinkWidthMax, v => message.PcieLinkWidthMax = v);
        Set(gpu.ClocksGraphicsMhz, v => message.ClocksGraphicsMhz = v);
        Set(gpu.ClocksSmMhz, v => message.ClocksSmMhz = v);
        Set(gpu.ClocksMemoryMhz, v => message.ClocksMemoryMhz = v);
        Set(gpu.EccErrorsCorrectedVolatile, v => message.EccErrorsCorrectedVolatile = v);
        Set(gpu.EccErrorsUncorrectedVolatile, v => message.EccErrorsUncorrectedVolatile = v);
        Set(gpu.EccErrorsCorrectedAggregate, v => message.EccErrorsCorrectedAggregate = v);
        Set(gpu.EccErrorsUncorrectedAggregate, v => message.EccErrorsUncorrectedAggregate = v);
        Set(gpu.RetiredPagesSingleBit, v => message.RetiredPagesSingleBit = v);
        Set(gpu.RetiredPagesDoubleBit, v => message.RetiredPagesDoubleBit = v);
        Set(gpu.RetiredPagesPending, v => message.RetiredPagesPending = v);
        Set(gpu.RemappedRowsCorrectable, v => message.RemappedRowsCorrectable = v);
        Set(gpu.RemappedRowsUncorrectable, v => message.RemappedRowsUncorrectable = v);
        Set(gpu.RemappedRowsPending, v => message.RemappedRowsPending = v);
        Set(gpu.RemappedRowsFailure, v => message.RemappedRowsFailure = v);
        return message;
    }

    public static Proto.GpuProcesses ToProto(this GpuProcesses processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var message = new Proto.GpuProcesses
        {
            NodeName = processes.NodeName,
            CollectedAt = Timestamp.FromDateTimeOffset(processes.CollectedAt),
        };
        message.Processes.AddRange(processes.Processes.Select(ToProto));
        message.Pmon.AddRange(processes.Pmon.Select(ToProto));
        return message;
    }

    public static Proto.GpuProcess ToProto(this GpuProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var message = new Proto.GpuProcess
        {
            GpuUuid = process.GpuUuid,
            GpuIndex = process.GpuIndex,
            Pid = process.Pid,
            ProcessName = process.ProcessName,
        };
        Set(process.UsedMemoryMib, v => message.UsedMemoryMib = v);
        return message;
    }

    public static Proto.PmonSample ToProto(this PmonSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var message = new Proto.PmonSample { GpuIndex = sample.GpuIndex, Type = sample.Type, Command = sample.Command };
        Set(sample.Pid, v => message.Pid = v);
        Set(sample.SmPercent, v => message.SmPercent = v);
        Set(sample.MemPercent, v => message.MemPercent = v);
        Set(sample.EncPercent, v => message.EncPercent = v);
        Set(sample.DecPercent, v => message.DecPercent = v);
        Set(sample.JpgPercent, v => message.JpgPercent = v);
        Set(sample.OfaPercent, v => message.OfaPercent = v);
        return message;
    }

    /// <summary>Sets an optional field only for a value: the contract's "unset" is the domain's null.</summary>
    private static void Set<T>(T? value, Action<T> assign)
        where T : struct
    {
        if (value is { } v)
        {
            assign(v);
        }
    }
}
