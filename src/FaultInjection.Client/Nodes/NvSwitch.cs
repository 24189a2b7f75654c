namespace FaultInjection.Client.Nodes;

/// <summary>One NVSwitch of a node.</summary>
public sealed class NvSwitch
{
    public int Instance { get; init; }

    public string PciBusId { get; init; } = "";
}
