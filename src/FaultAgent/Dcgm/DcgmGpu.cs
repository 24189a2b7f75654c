using FaultAgent.Telemetry;

namespace FaultAgent.Dcgm;

/// <summary>One GPU as <c>dcgmi discovery -l</c> lists it.</summary>
/// <param name="DcgmGpuId">DCGM's own GPU id (the table's "GPU ID"), not the driver's minor number.</param>
/// <param name="PciBusId">As printed (NVML form: 8-digit domain, upper-case hex, e.g. <c>00000000:18:00.0</c>).</param>
public sealed record DcgmGpu(int DcgmGpuId, string Name, string PciBusId, string Uuid)
{
    /// <summary>The bus id in the driver's procfs form (<c>0000:18:00.0</c>), as the agent's GPU discovery has it.</summary>
    public string ProcfsPciBusId => PciBusIdFormat.ToProcfs(PciBusId);
}
