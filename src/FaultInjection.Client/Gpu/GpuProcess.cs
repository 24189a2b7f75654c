namespace FaultInjection.Client.Gpu;

/// <summary>A compute process on a GPU.</summary>
public sealed class GpuProcess
{
    public string NodeName { get; init; } = "";

    public int GpuIndex { get; init; }

    public string GpuUuid { get; init; } = "";

    public long Pid { get; init; }

    public string ProcessName { get; init; } = "";

    public double? UsedMemoryMib { get; init; }
}
