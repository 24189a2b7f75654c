namespace FaultInjection.Client.Nodes;

/// <summary>One GPU of a node, as the agent found it in the driver's procfs.</summary>
public sealed class Gpu
{
    public int GpuId { get; init; }

    public string PciBusId { get; init; } = "";

    /// <summary>The PCI address as the driver prints it in Xid lines (<c>0000:3b:00</c>).</summary>
    public string XidPci { get; init; } = "";

    public string Uuid { get; init; } = "";

    public string Model { get; init; } = "";

    public bool Excluded { get; init; }
}
