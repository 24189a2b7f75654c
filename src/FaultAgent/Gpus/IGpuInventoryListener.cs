namespace FaultAgent.Gpus;

/// <summary>
/// Told each time <see cref="CachedGpuDiscovery"/> read the inventory anew: its first use (the agent reads it once at
/// start, <see cref="GpuInventoryAtStart"/>), a boot id or driver change, a miss, a listing that found a change.
/// </summary>
public interface IGpuInventoryListener
{
    /// <summary>Called on the reader's path right after the read: returns at once, any work of its own goes on in the background.</summary>
    void InventoryRead(GpuInventory inventory);
}
