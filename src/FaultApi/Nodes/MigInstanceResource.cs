namespace FaultApi.Nodes;

/// <summary>One MIG GPU instance (the <c>gpu_instance</c> of an inject body) and its compute instances (<c>compute_instance</c>).</summary>
public sealed record MigInstanceResource(int GpuInstance, IReadOnlyList<int> ComputeInstances);
