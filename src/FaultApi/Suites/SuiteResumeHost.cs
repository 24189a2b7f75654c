using FaultApi.Drills;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>
/// At start, and then every <c>Drills:LeaseDuration</c>, takes over running suites whose replica stopped (lease released
/// or expired), deletes finished suite records past their retention or count and reads the kept ones' results into
/// <see cref="SuiteResultMetrics"/> (a suite ending here is taken at once); at shutdown stops running suites here
/// and releases their leases. Nothing in static mode.
/// </summary>
public sealed class SuiteResumeHost(SuiteService suites, SuiteResultMetrics results, IOptions<DrillOptions> options, TimeProvider time, ILogger<SuiteResumeHost> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await suites.StopRunningAsync().ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!suites.Enabled)
        {
            return;
        }

        suites.Ended += results.Observe;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await suites.ResumeOrphanedAsync(stoppingToken).ConfigureAwait(false);
                await suites.PruneAsync(stoppingToken).ConfigureAwait(false);
                var mark = results.RefreshMark();
                results.Refresh(await suites.ListAsync(stoppingToken).ConfigureAwait(false), mark);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The Kubernetes API may be unreachable for a while: try again at the next round.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SuitesLog.ResumeFailed(logger, ex);
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
