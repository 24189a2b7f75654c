namespace FaultAgent.Gpus;

/// <summary>Finds the node's GPUs (and NVSwitches) under the configured proc root.</summary>
public interface IGpuDiscovery
{
    /// <summary>The node's inventory (an implementation may answer from a cache it keeps current).</summary>
    ValueTask<GpuInventory> DiscoverAsync(CancellationToken cancellationToken);

    /// <summary>The inventory read again now: the caller looked for hardware the last answer did not hold.</summary>
    ValueTask<GpuInventory> RefreshAsync(CancellationToken cancellationToken) => DiscoverAsync(cancellationToken);

    /// <summary>
    /// The inventory as a listing (<c>ListGpus</c>) shows it: what a read now would find, with no miss to report. An
    /// implementation may answer from what it keeps while nothing the listing shows can have changed.
    /// </summary>
    ValueTask<GpuInventory> ListAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);
}
