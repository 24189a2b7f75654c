namespace FaultAgent.Hosting;

/// <summary>
/// An aggressive, compacting, blocking full GC (repeated at most twice: <see cref="Collect"/>) shortly after the host
/// has started, on a thread-pool thread (off the request path) (#14, BENCHMARKS.md "one fault's memory, field by field").
/// Start allocates ~34 MB, most of it garbage by the
/// time the endpoints listen, and the GC kept part of what it had committed for it: measured on the native agent,
/// VmRSS 2 s and 30 s after healthy 46.4–47.3 MB without this collection, 44.8–45.0 MB with it, still ~1–2 MB less after a
/// small load. <see cref="GCCollectionMode.Aggressive"/> also returns the freed memory to the system. It also ends the
/// start's no-GC region (<see cref="StartupNoGcRegion"/>) right before it collects. It is repeated until what
/// the start keeps is in gen2, not gen1 (#14, BENCHMARKS.md agentp99: see <see cref="Collect"/>).
/// It runs <see cref="Delay"/> after the host has started, not at once (#14, BENCHMARKS.md "the agent's start"): a
/// blocking collection suspends every thread, and run at once it fell between Kestrel's first accepted connection and the
/// answer to it (traced with <c>strace -f</c>: the first <c>GET /health</c> accepted, then every thread waiting on the
/// collection until it ended), so the probe that finds the agent ready waited for it.
/// The collection is of the whole process's heap, so it runs once per process: an agent process hosts one agent, and a
/// process hosting many agent apps (the benchmark's AgentFarm, the tests) collects for the first of them only, instead of
/// one blocking full GC of everything every app holds per app started.
/// </summary>
internal sealed class StartupHeapCompaction(IHostApplicationLifetime lifetime, Action? collect = null, TimeProvider? timeProvider = null) : IHostedService
{
    /// <summary>How long after the host has started the collection runs: after the first probes, before an idle agent's memory is read.</summary>
    internal static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private static int s_collected;
    private readonly Action _collect = collect ?? (() => CollectOncePerProcess());
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Delay(Delay, _timeProvider).ContinueWith(
            static (_, collect) =>
            {
                // The start's no-GC region (StartupNoGcRegion) ends here, right before the collection that follows it.
                StartupNoGcRegion.EndOncePerProcess();
                ((Action)collect!)();
            },
            _collect,
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The compacting full GC, unless this process already ran it; returns whether this call ran it.</summary>
    internal static bool CollectOncePerProcess()
    {
        if (Interlocked.Exchange(ref s_collected, 1) != 0)
        {
            return false;
        }

        Collect();
        return true;
    }

    /// <summary>The start's collection: what the start keeps ends in gen2 (see the class summary).</summary>
    internal static void Collect()
    {
        // A collection promotes what survives it by at most one generation: the full collection alone left everything the
        // start keeps (allocated in gen0: the no-GC region) in gen1, and the first gen1 collection after it, ~800
        // injections later, marked, relocated and compacted all of it (21-25 ms in the benchmark's profile, perf: relocating
        // survivors, plan, compact; the gen1 collections after it 1.2-2.5 ms). So the collection is repeated (at most
        // twice more) until an object allocated right before it, as old as the start's own, is in gen2; aggressive each
        // time, so that what they freed is returned to the system.
        var sentinel = new object();
        for (var i = 0; i < 3 && (i == 0 || GC.GetGeneration(sentinel) < GC.MaxGeneration); i++)
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        GC.KeepAlive(sentinel);
    }
}
