namespace FaultInjection.Client.Gpu;

/// <summary>A compute process on a GPU.</summary>
public sealed class GpuProcess
{
    /// <summary>The node.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>nvidia-smi's index of the GPU the process uses.</summary>
    public int GpuIndex { get; init; }

    /// <summary>The UUID of that GPU.</summary>
    public string GpuUuid { get; init; } = "";

    /// <summary>The process id.</summary>
    public long Pid { get; init; }

    /// <summary>The process name.</summary>
    public string ProcessName { get; init; } = "";

    /// <summary>The GPU memory it uses in MiB.</summary>
    public double? UsedMemoryMib { get; init; }
}
