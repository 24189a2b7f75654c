namespace FaultAgent.Gpus;

/// <summary>What discovery found on the node. No driver directory means zero GPUs, not an error.</summary>
public sealed record GpuInventory(
    IReadOnlyList<GpuInfo> Gpus,
    IReadOnlyList<NvSwitchInfo> NvSwitches,
    IReadOnlyList<DiscoveryProblem> Problems)
{
    public static GpuInventory Empty { get; } = new([], [], []);

    /// <summary>The node's driver version from <c>&lt;ProcRoot&gt;/driver/nvidia/version</c>; null when the file is missing or unreadable.</summary>
    public Drivers.NvidiaDriverVersion? DriverVersion { get; init; }

    public GpuInfo? FindGpu(int gpuId) => Gpus.FirstOrDefault(g => g.GpuId == gpuId);
}
