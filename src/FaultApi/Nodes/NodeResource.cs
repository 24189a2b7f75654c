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
    IReadOnlyList<string> Problems);
