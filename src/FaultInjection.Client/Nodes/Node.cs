namespace FaultInjection.Client.Nodes;

/// <summary>A GPU node with a ready agent: its labels, agent pod and address, GPUs and NVSwitches.</summary>
public sealed class Node
{
    public string NodeName { get; init; } = "";

    public string AgentPod { get; init; } = "";

    public string AgentAddress { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? BootId { get; init; }

    public IReadOnlyList<Gpu> Gpus { get; init; } = [];

    public IReadOnlyList<NvSwitch> Nvswitches { get; init; } = [];

    public IReadOnlyList<string> Problems { get; init; } = [];
}
