using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.EmergencyStop;

/// <summary>
/// Every <c>Stop:ReconcileIntervalSeconds</c>: re-reads the cluster's stop state (so every replica follows another's
/// change) and pushes it to each agent that does not hold it — one that was down or unreachable when the stop changed, a
/// restarted one, or a new one the agent directory found since.
/// </summary>
public sealed class EmergencyStopReconciler(EmergencyStopCoordinator coordinator, IOptions<StopOptions> options, TimeProvider timeProvider, ILogger<EmergencyStopReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ReconcileIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await coordinator.ReconcileAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                StopLog.ReconcileFailed(logger, e);
            }

            try
            {
                await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
