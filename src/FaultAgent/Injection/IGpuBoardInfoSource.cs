namespace FaultAgent.Injection;

/// <summary>The board serial and PCI id of the node's GPUs (the host's nvidia-smi); never throws for a missing tool.</summary>
public interface IGpuBoardInfoSource
{
    /// <summary>What is known of the GPU at <paramref name="pciBusId"/> (<c>dddd:bb:dd.f</c>); unknown values carry the reason.</summary>
    Task<GpuBoardInfo> GetAsync(string pciBusId, CancellationToken cancellationToken);
}
