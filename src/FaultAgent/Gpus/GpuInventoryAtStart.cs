using Microsoft.Extensions.Logging;

namespace FaultAgent.Gpus;

/// <summary>
/// Reads the GPU inventory once the host has started, on a thread-pool thread, so what depends on it starts early (the
/// board serials the GPUs' preambles need, <see cref="IGpuInventoryListener"/>) and the first injection finds it kept.
/// Nothing waits for it: not the start (the endpoints already listen), not an injection (which reads the inventory itself
/// if this has not yet). A failure is logged; the first injection reads again and reports it.
/// </summary>
public sealed class GpuInventoryAtStart(IGpuDiscovery discovery, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(ReadAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ReadAsync()
    {
        try
        {
            await discovery.DiscoverAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            GpuDiscoveryLog.StartReadFailed(loggers.CreateLogger("FaultAgent.Gpus.GpuInventoryAtStart"), e.Message);
        }
    }
}
