using System.Globalization;
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
/// appears or goes changes its directory (its link count on procfs, which keeps a directory's times), an upgrade
/// rewrites the version;</item>
/// <item>the caller reports a miss (<see cref="RefreshAsync"/>): a GPU, MIG instance or NVSwitch the kept inventory
/// does not hold is looked for once more before it is NOT_FOUND (MIG instances come and go without a driver reload).</item>
/// </list>
/// A listing (<see cref="ListAsync"/>) has no miss to report, so it also stats what the kept inventory was read from
/// and what comes and goes without a reload: each GPU's <c>information</c> file, its MIG directory
/// (<c>capabilities/gpu&lt;N&gt;/mig</c>, there or not) and each GPU instance's directory under it, and every path
/// a problem names; it reads again when any of them changed (a MIG instance made or destroyed, a file rewritten or
/// made unreadable), and otherwise answers what it keeps.
/// Every stamp is taken before the read it vouches for, so a change while reading shows at the next call.
/// Each read is told to <paramref name="listener"/> (the board serials looked up ahead, #14).
/// </summary>
public sealed class CachedGpuDiscovery(IGpuDiscovery inner, IBootIdSource bootIds, IOptions<AgentOptions> options, ILogger<CachedGpuDiscovery> logger, IGpuInventoryListener? listener = null) : IGpuDiscovery
{
    // Encoded once (UTF-8, null-terminated): each call's stat()s allocate nothing.
    private readonly byte[][] _watched =
    [
        LinuxSyscalls.PathBytes(Path.Combine(options.Value.ProcRoot, "driver", "nvidia")),
        LinuxSyscalls.PathBytes(Path.Combine(options.Value.ProcRoot, "driver", "nvidia", "gpus")),
        LinuxSyscalls.PathBytes(Path.Combine(options.Value.ProcRoot, "driver", "nvidia", "version")),
        LinuxSyscalls.PathBytes(Path.Combine(options.Value.ProcRoot, "driver", "nvidia-nvswitch", "devices")),
    ];

    private readonly string _capabilities = Path.Combine(options.Value.ProcRoot, "driver", "nvidia", "capabilities");

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
        return await ReadAsync(stamp, kept, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<GpuInventory> RefreshAsync(CancellationToken cancellationToken)
    {
        var stamp = await StampAsync(cancellationToken).ConfigureAwait(false);
        GpuDiscoveryLog.Refreshing(logger, "a GPU, MIG instance or NVSwitch was not in the kept inventory");
        return await ReadAsync(stamp, _snapshot, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<GpuInventory> ListAsync(CancellationToken cancellationToken)
    {
        var stamp = await StampAsync(cancellationToken).ConfigureAwait(false);
        var kept = _snapshot;
        if (kept is not null && kept.Stamp.Equals(stamp) && kept.Sources is { } sources && sources.Unchanged())
        {
            return kept.Inventory;
        }

        GpuDiscoveryLog.Refreshing(logger, kept is null ? "first use"
            : kept.Stamp.BootId != stamp.BootId ? "the boot id changed"
            : !kept.Stamp.Equals(stamp) ? "the driver's proc entries changed"
            : "a listing found a GPU's information file, MIG directory or a problem's path changed");
        return await ReadAsync(stamp, kept, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the inventory. What a listing watches is named by the inventory itself (its GPUs, their MIG instances, its
    /// problems), so it is stamped before the read with the paths of the previous inventory; when the new one names
    /// other paths, those were stamped after the read and cannot vouch for it: the snapshot then keeps no sources and
    /// the next listing reads again (the paths are the same then, unless they change again).
    /// </summary>
    private async ValueTask<GpuInventory> ReadAsync(Stamp stamp, Snapshot? previous, CancellationToken cancellationToken)
    {
        var before = previous is null ? null : Sources.Take(previous.SourcePaths);
        Interlocked.Increment(ref _reads);
        var inventory = await inner.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var paths = SourcePathsOf(inventory);
        _snapshot = new Snapshot(stamp, inventory, paths, before is not null && before.Covers(paths) ? before : null);
        listener?.InventoryRead(inventory);
        return inventory;
    }

    /// <summary>What a listing stats besides the driver's entries, in a fixed order.</summary>
    private string[] SourcePathsOf(GpuInventory inventory)
    {
        var paths = new List<string>();
        foreach (var gpu in inventory.Gpus)
        {
            paths.Add(gpu.SourcePath);
            var mig = Path.Combine(_capabilities, string.Create(CultureInfo.InvariantCulture, $"gpu{gpu.GpuId}"), "mig");
            paths.Add(mig);
            foreach (var instance in gpu.MigInstances)
            {
                paths.Add(Path.Combine(mig, string.Create(CultureInfo.InvariantCulture, $"gi{instance.GpuInstance}")));
            }
        }

        foreach (var problem in inventory.Problems)
        {
            paths.Add(problem.Path);
        }

        return [.. paths];
    }

    private async ValueTask<Stamp> StampAsync(CancellationToken cancellationToken)
    {
        var bootId = await bootIds.GetBootIdAsync(cancellationToken).ConfigureAwait(false);
        return new Stamp(bootId, LinuxSyscalls.Stamp(_watched[0]), LinuxSyscalls.Stamp(_watched[1]), LinuxSyscalls.Stamp(_watched[2]), LinuxSyscalls.Stamp(_watched[3]));
    }

    private sealed record Snapshot(Stamp Stamp, GpuInventory Inventory, string[] SourcePaths, Sources? Sources);

    private readonly record struct Stamp(string BootId, FileStamp Driver, FileStamp Gpus, FileStamp Version, FileStamp NvSwitches);

    /// <summary>The stamps of a listing's paths (encoded once), taken together.</summary>
    private sealed class Sources
    {
        private readonly string[] _paths;
        private readonly byte[][] _encoded;
        private readonly FileStamp[] _stamps;

        private Sources(string[] paths)
        {
            _paths = paths;
            _encoded = [.. paths.Select(LinuxSyscalls.PathBytes)];
            _stamps = [.. _encoded.Select(p => LinuxSyscalls.Stamp(p))];
        }

        public static Sources Take(string[] paths) => new(paths);

        /// <summary>These stamps name exactly <paramref name="paths"/>, in that order.</summary>
        public bool Covers(string[] paths) => _paths.AsSpan().SequenceEqual(paths);

        /// <summary>Every path stats as it did when these stamps were taken.</summary>
        public bool Unchanged()
        {
            for (var i = 0; i < _encoded.Length; i++)
            {
                if (!LinuxSyscalls.Stamp(_encoded[i]).Equals(_stamps[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
