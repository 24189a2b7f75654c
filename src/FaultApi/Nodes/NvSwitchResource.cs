namespace FaultApi.Nodes;

/// <summary>One NVSwitch of a node.</summary>
public sealed record NvSwitchResource(int Instance, string PciBusId);
