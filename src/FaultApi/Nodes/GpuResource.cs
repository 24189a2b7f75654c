namespace FaultApi.Nodes;

/// <summary>One GPU of a node, from the driver's procfs information file.</summary>
public sealed record GpuResource(int GpuId, string PciBusId, string XidPci, string Uuid, string Model, bool Excluded)
{
    /// <summary>MIG GPU instances with their compute instances, as the driver lists them under /proc/driver/nvidia/capabilities.</summary>
    public IReadOnlyList<MigInstanceResource> MigInstances { get; init; } = [];
}
