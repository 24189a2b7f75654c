using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// At start, and then every <c>Drills:LeaseDuration</c>, takes over running drills whose replica stopped (lease released
/// or expired) so no drill is left unfollowed, and deletes finished drill records past their retention or count
/// (<see cref="DrillService.PruneAsync"/>); at shutdown stops following and releases the leases. Nothing in static mode.
/// </summary>
public sealed class DrillResumeHost(DrillService drills, IOptions<DrillOptions> options, TimeProvider time, ILogger<DrillResumeHost> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await drills.StopFollowingAsync().ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!drills.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await drills.ResumeOrphanedAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The Kubernetes API may be unreachable for a while: try again at the next round.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                DrillsLog.ResumeFailed(logger, ex);
            }

            try
            {
                await drills.PruneAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // As above: the next round tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                DrillsLog.PruneFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.LeaseDuration, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
