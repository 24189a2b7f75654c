namespace FaultAgent.Gpus;

/// <summary>What discovery found on the node. No driver directory means zero GPUs, not an error.</summary>
public sealed record GpuInventory(
    IReadOnlyList<GpuInfo> Gpus,
    IReadOnlyList<NvSwitchInfo> NvSwitches,
    IReadOnlyList<DiscoveryProblem> Problems)
{
    public static GpuInventory Empty { get; } = new([], [], []);

    public GpuInfo? FindGpu(int gpuId) => Gpus.FirstOrDefault(g => g.GpuId == gpuId);
}
