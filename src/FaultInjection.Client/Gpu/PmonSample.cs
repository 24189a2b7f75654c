namespace FaultInjection.Client.Gpu;

/// <summary>One <c>nvidia-smi pmon</c> sample.</summary>
public sealed class PmonSample
{
    /// <summary>The node.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>nvidia-smi's GPU index.</summary>
    public int GpuIndex { get; init; }

    /// <summary>The process id; null for a GPU without processes.</summary>
    public long? Pid { get; init; }

    /// <summary><c>C</c> (compute), <c>G</c> (graphics) or <c>C+G</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>SM utilization in percent.</summary>
    public double? SmPercent { get; init; }

    /// <summary>Memory utilization in percent.</summary>
    public double? MemPercent { get; init; }

    /// <summary>Encoder utilization in percent.</summary>
    public double? EncPercent { get; init; }

    /// <summary>Decoder utilization in percent.</summary>
    public double? DecPercent { get; init; }

    /// <summary>JPEG engine utilization in percent.</summary>
    public double? JpgPercent { get; init; }

    /// <summary>Optical flow accelerator utilization in percent.</summary>
    public double? OfaPercent { get; init; }

    /// <summary>The process's command name.</summary>
    public string Command { get; init; } = "";
}
