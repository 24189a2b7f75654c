using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Gpus;

/// <summary>
/// GPU discovery read once and kept until it can have changed, so an injection does not re-read every GPU's procfs
/// <c>information</c> file. Each call costs the node's boot id and one stat() of each entry a driver load creates —
/// <c>&lt;ProcRoot&gt;/driver/nvidia</c>, its <c>gpus</c> directory and <c>version</c> file, and
/// <c>driver/nvidia-nvswitch/devices</c> — and the inventory is read again when:
/// <list type="bullet">
/// <item>the boot id changed (a reboot);</item>
/// <item>any of those entries was replaced or changed: a driver reload recreates them (new inode numbers), a GPU that
/// appears or goes changes its directory, an upgrade rewrites the version;</item>
/// <item>the caller reports a miss (<see cref="RefreshAsync"/>): a GPU, MIG instance or NVSwitch the kept inventory
/// does not hold is looked for once more before it is NOT_FOUND (MIG instances come and go without a driver reload).</item>
/// </list>
/// The stamp is taken before the read, so a change while reading shows at the next call.
/// </summary>
public sealed class CachedGpuDiscovery(IGpuDiscovery inner, IBootIdSource bootIds, IOptions<AgentOptions> options, ILogger<CachedGpuDiscovery> logger) : IGpuDiscovery
{
    // Encoded once (UTF-8, null-terminated): each call's stat()s allocate nothing.
    private readonly byte[][] _watched =
    [
        LinuxSyscalls.PathBytes(Path.Combine(options.Value.ProcRoot, "driver", "nvidia")),
        LinuxSyscalls.PathBytes(Path.Combine(options.Value.ProcRoot, "driver", "nvidia", "gpus")),
        LinuxSyscalls.PathBytes(Path.Combine(options.Value.ProcRoot, "driver", "nvidia", "version")),
        LinuxSyscalls.PathBytes(Path.Combine(options.Value.ProcRoot, "driver", "nvidia-nvswitch", "devices")),
    ];

    private volatile Snapshot? _snapshot;
    private int _reads;

    /// <summary>How many times the inventory was read (not answered from the cache).</summary>
    public int Reads => Volatile.Read(ref _reads);

    public async ValueTask<GpuInventory> DiscoverAsync(CancellationToken cancellationToken)
    {
        var stamp = await StampAsync(cancellationToken).ConfigureAwait(false);
        var kept = _snapshot;
        if (kept is not null && kept.Stamp.Equals(stamp))
        {
            return kept.Inventory;
        }

        GpuDiscoveryLog.Refreshing(logger, kept is null ? "first use"
            : kept.Stamp.BootId != stamp.BootId ? "the boot id changed"
            : "the driver's proc entries changed");
        return await ReadAsync(stamp, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<GpuInventory> RefreshAsync(CancellationToken cancellationToken)
    {
        var stamp = await StampAsync(cancellationToken).ConfigureAwait(false);
        GpuDiscoveryLog.Refreshing(logger, "a GPU, MIG instance or NVSwitch was not in the kept inventory");
        return await ReadAsync(stamp, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<GpuInventory> ReadAsync(Stamp stamp, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        var inventory = await inner.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        _snapshot = new Snapshot(stamp, inventory);
        return inventory;
    }

    private async ValueTask<Stamp> StampAsync(CancellationToken cancellationToken)
    {
        var bootId = await bootIds.GetBootIdAsync(cancellationToken).ConfigureAwait(false);
        return new Stamp(bootId, LinuxSyscalls.Stamp(_watched[0]), LinuxSyscalls.Stamp(_watched[1]), LinuxSyscalls.Stamp(_watched[2]), LinuxSyscalls.Stamp(_watched[3]));
    }

    private sealed record Snapshot(Stamp Stamp, GpuInventory Inventory);

    private readonly record struct Stamp(string BootId, FileStamp Driver, FileStamp Gpus, FileStamp Version, FileStamp NvSwitches);
}
