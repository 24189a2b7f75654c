namespace FaultAgent.Gpus;

/// <summary>One NVSwitch: the N of <c>nvidia-nvswitchN</c> and its full PCI BDF (<c>0000:4e:00.0</c>).</summary>
public sealed record NvSwitchInfo(int Instance, string PciBusId, string SourcePath);
