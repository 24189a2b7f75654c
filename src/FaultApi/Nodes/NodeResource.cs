namespace FaultApi.Nodes;

/// <summary>A GPU node with an agent: where its agent is, its labels, and its GPUs and NVSwitches as the agent found them.</summary>
public sealed record NodeResource(
    string NodeName,
    string AgentPod,
    string AgentAddress,
    IReadOnlyDictionary<string, string> Labels,
    string? BootId,
    IReadOnlyList<GpuResource> Gpus,
    IReadOnlyList<NvSwitchResource> Nvswitches,
    IReadOnlyList<string> Problems)
{
    /// <summary>The node's NVIDIA driver version (its /proc/driver/nvidia/version); null when the node has none.</summary>
    public string? DriverVersion { get; init; }

    /// <summary>The Xid line form that driver prints: <c>r565</c>, <c>r570</c>, <c>r575</c> (the newest when the version is unknown).</summary>
    public string? LineForm { get; init; }
}
