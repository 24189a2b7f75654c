using FaultAgent.Registry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FaultAgent.EmergencyStop;

/// <summary>
/// While the emergency stop is engaged and active faults remain (a stop whose end-all failed or ran out of time, faults
/// read back from the journal at start, an injection that finished just before the stop), expires them; a failure is
/// retried after <see cref="FirstRetryDelay"/>, doubling up to <see cref="MaxRetryDelay"/>, until none is left. Woken by
/// every stop applied and every registry change; needs no API call.
/// </summary>
public sealed class EmergencyStopExpiryService(EmergencyStopService stop, FaultRegistry registry, TimeProvider timeProvider, ILogger<EmergencyStopExpiryService> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await registry.InitializeAsync(stoppingToken).ConfigureAwait(false);
        var retryDelay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = registry.ChangeToken;
            TimeSpan wait = Timeout.InfiniteTimeSpan;
            if (stop.Current.Engaged && registry.ActiveCount > 0)
            {
                try
                {
                    var ended = await stop.ExpireActiveAsync(stoppingToken).ConfigureAwait(false);
                    EmergencyStopLog.ExpiryDone(logger, ended);
                    retryDelay = FirstRetryDelay;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    EmergencyStopLog.ExpiryFailed(logger, registry.ActiveCount, retryDelay, e);
                    wait = retryDelay;
                    retryDelay = retryDelay * 2 < MaxRetryDelay ? retryDelay * 2 : MaxRetryDelay;
                }
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, changed);
            try
            {
                if (wait == Timeout.InfiniteTimeSpan)
                {
                    await stop.WaitForWakeAsync(Timeout.InfiniteTimeSpan, wake.Token).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The registry changed: look again.
            }
        }
    }
}
