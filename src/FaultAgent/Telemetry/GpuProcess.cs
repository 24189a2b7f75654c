namespace FaultAgent.Telemetry;

/// <summary>
/// A compute process on a GPU (<c>--query-compute-apps</c>): <see cref="GpuIndex"/> -1 when the uuid is not one of the
/// node's GPUs, <see cref="ProcessName"/> empty when nvidia-smi could not resolve it, memory null when not given.
/// </summary>
public sealed record GpuProcess(string GpuUuid, int GpuIndex, long Pid, string ProcessName, double? UsedMemoryMib);
