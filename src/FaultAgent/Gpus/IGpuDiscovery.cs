namespace FaultAgent.Gpus;

/// <summary>Finds the node's GPUs (and NVSwitches) under the configured proc root.</summary>
public interface IGpuDiscovery
{
    ValueTask<GpuInventory> DiscoverAsync(CancellationToken cancellationToken);
}
