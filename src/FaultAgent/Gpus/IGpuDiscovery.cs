namespace FaultAgent.Gpus;

/// <summary>Finds the node's GPUs (and NVSwitches) under the configured proc root.</summary>
public interface IGpuDiscovery
{
    /// <summary>The node's inventory (an implementation may answer from a cache it keeps current).</summary>
    ValueTask<GpuInventory> DiscoverAsync(CancellationToken cancellationToken);

    /// <summary>The inventory read again now: the caller looked for hardware the last answer did not hold.</summary>
    ValueTask<GpuInventory> RefreshAsync(CancellationToken cancellationToken) => DiscoverAsync(cancellationToken);
}
