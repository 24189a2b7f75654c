namespace FaultApi.Gpu;

/// <summary>A compute process on a GPU (nvidia-smi <c>--query-compute-apps</c>).</summary>
public sealed record GpuProcessResource(string NodeName, int GpuIndex, string GpuUuid, long Pid, string ProcessName, double? UsedMemoryMib);
