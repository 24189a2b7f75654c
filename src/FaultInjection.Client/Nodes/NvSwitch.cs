namespace FaultInjection.Client.Nodes;

/// <summary>One NVSwitch of a node.</summary>
public sealed class NvSwitch
{
    /// <summary>The N of <c>nvidia-nvswitchN</c>: the <c>nvswitch</c> of an SXid injection.</summary>
    public int Instance { get; init; }

    /// <summary>The NVSwitch's PCI bus id.</summary>
    public string PciBusId { get; init; } = "";
}
