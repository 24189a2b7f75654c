namespace FaultInjection.Client.Nodes;

/// <summary>One MIG GPU instance of a GPU (an injection's <see cref="Faults.XidInjectionOptions.GpuInstance"/>) and its compute instances.</summary>
public sealed class MigInstance
{
    /// <summary>The GPU instance id (<c>GPU-I:%02u</c> in the line).</summary>
    public int GpuInstance { get; init; }

    /// <summary>Its compute instance ids (<c>GPU-CI:%02u</c>).</summary>
    public IReadOnlyList<int> ComputeInstances { get; init; } = [];
}
