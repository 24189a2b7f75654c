namespace FaultAgent.Hosting;

/// <summary>
/// One aggressive, compacting, blocking full GC once the host has started, on a thread-pool thread (off the request
/// path) (#14, BENCHMARKS.md "one fault's memory, field by field"). Start allocates ~34 MB, most of it garbage by the
/// time the endpoints listen, and the GC kept part of what it had committed for it: measured on the native agent,
/// VmRSS 2 s and 30 s after healthy 46.4–47.3 MB without this collection, 44.8–45.0 MB with it, still ~1–2 MB less after a
/// small load; start to healthy not measurably changed. <see cref="GCCollectionMode.Aggressive"/> also returns the
/// freed memory to the system.
/// The collection is of the whole process's heap, so it runs once per process: an agent process hosts one agent, and a
/// process hosting many agent apps (the benchmark's AgentFarm, the tests) collects for the first of them only, instead of
/// one blocking full GC of everything every app holds per app started.
/// </summary>
internal sealed class StartupHeapCompaction(IHostApplicationLifetime lifetime, Action? collect = null) : IHostedService
{
    private static int s_collected;
    private readonly Action _collect = collect ?? (() => CollectOncePerProcess());

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => ThreadPool.UnsafeQueueUserWorkItem(static collect => collect(), _collect, preferLocal: false));
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

        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
