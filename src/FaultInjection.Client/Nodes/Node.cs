namespace FaultInjection.Client.Nodes;

/// <summary>A GPU node with a ready agent: its labels, agent pod and address, driver, GPUs and NVSwitches.</summary>
public sealed class Node
{
    /// <summary>The Kubernetes node name.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>The agent pod serving the node.</summary>
    public string AgentPod { get; init; } = "";

    /// <summary>The agent's gRPC address the API calls.</summary>
    public string AgentAddress { get; init; } = "";

    /// <summary>The node's labels (what a <c>node_selector</c> matches).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The node's boot id, as the agent read it.</summary>
    public string? BootId { get; init; }

    /// <summary>The node's NVIDIA driver version (its /proc/driver/nvidia/version); null when the node has none.</summary>
    public string? DriverVersion { get; init; }

    /// <summary>The Xid line form that driver prints: <c>r565</c>, <c>r570</c>, <c>r575</c> (the newest when the version is unknown).</summary>
    public string? LineForm { get; init; }

    /// <summary>The node's GPUs in Device Minor order.</summary>
    public IReadOnlyList<Gpu> Gpus { get; init; } = [];

    /// <summary>The node's NVSwitches (<c>nvidia-nvswitchN</c>) in PCI order.</summary>
    public IReadOnlyList<NvSwitch> Nvswitches { get; init; } = [];

    /// <summary>What the agent could not read in the driver's procfs (<c>path: message</c>).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
