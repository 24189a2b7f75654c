namespace FaultInjection.Client.Nodes;

/// <summary>One GPU of a node, as the agent found it in the driver's procfs.</summary>
public sealed class Gpu
{
    /// <summary>The GPU's Device Minor: the <c>gpu_id</c> of an injection.</summary>
    public int GpuId { get; init; }

    /// <summary>The full PCI bus id (<c>0000:3b:00.0</c>).</summary>
    public string PciBusId { get; init; } = "";

    /// <summary>The PCI address as the driver prints it in Xid lines (<c>0000:3b:00</c>).</summary>
    public string XidPci { get; init; } = "";

    /// <summary>The GPU's UUID (<c>GPU-...</c>).</summary>
    public string Uuid { get; init; } = "";

    /// <summary>The model as the driver names it (<c>NVIDIA H100 80GB HBM3</c>).</summary>
    public string Model { get; init; } = "";

    /// <summary>True when the driver lists the GPU as excluded (not usable for injection).</summary>
    public bool Excluded { get; init; }

    /// <summary>MIG GPU instances with their compute instances (empty when MIG is off), as the driver lists them.</summary>
    public IReadOnlyList<MigInstance> MigInstances { get; init; } = [];
}
