namespace FaultInjection.Client.Gpu;

/// <summary>A GPU named by its node, index, UUID and bus id.</summary>
public sealed class GpuReference
{
    public string NodeName { get; init; } = "";

    public int Index { get; init; }

    public string Uuid { get; init; } = "";

    public string PciBusId { get; init; } = "";
}
