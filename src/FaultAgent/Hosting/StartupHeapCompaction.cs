namespace FaultAgent.Hosting;

/// <summary>
/// One aggressive, compacting, blocking full GC once the host has started, on a thread-pool thread (off the request
/// path) (#14, BENCHMARKS.md "one fault's memory, field by field"). Start allocates ~34 MB, most of it garbage by the
/// time the endpoints listen, and the GC kept part of what it had committed for it: measured on the native agent,
/// VmRSS 2 s and 30 s after healthy 46.4–47.3 MB without this collection, 44.8–45.0 MB with it, still ~1–2 MB less after a
/// small load; start to healthy not measurably changed. <see cref="GCCollectionMode.Aggressive"/> also returns the
/// freed memory to the system.
/// </summary>
internal sealed class StartupHeapCompaction(IHostApplicationLifetime lifetime, Action? collect = null) : IHostedService
{
    private readonly Action _collect = collect ?? CollectAll;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => ThreadPool.UnsafeQueueUserWorkItem(static collect => collect(), _collect, preferLocal: false));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void CollectAll() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
