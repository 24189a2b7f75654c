namespace FaultInjection.Client.Gpu;

/// <summary>A GPU named by its node, index, UUID and bus id.</summary>
public sealed class GpuReference
{
    /// <summary>The node.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>nvidia-smi's GPU index.</summary>
    public int Index { get; init; }

    /// <summary>The GPU's UUID.</summary>
    public string Uuid { get; init; } = "";

    /// <summary>The GPU's PCI bus id.</summary>
    public string PciBusId { get; init; } = "";
}
