using FaultAgent.Registry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Dcgm;

/// <summary>
/// Takes DCGM values back whenever faults end, however they end (clear, expiry, emergency stop, reboot), and after an
/// agent restart: runs <see cref="DcgmFaultService.RestorePassAsync"/> at start and whenever the registry changes, and
/// every <c>Agent:Dcgm:RestoreRetryInterval</c> while a value could not be written back (the hostengine was away).
/// A pass with nothing to take back runs no dcgmi at all.
/// </summary>
public sealed class DcgmRestoreService(
    DcgmFaultService faults,
    FaultRegistry registry,
    IOptions<DcgmOptions> options,
    TimeProvider timeProvider,
    ILogger<DcgmRestoreService> logger) : BackgroundService
{
    /// <summary>The longest sleep between passes when nothing is left to take back.</summary>
    public static readonly TimeSpan IdleSleep = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await registry.InitializeAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = registry.ChangeToken;
            var retry = options.Value.RestoreRetryInterval;
            var sleep = IdleSleep;
            try
            {
                if (await faults.RestorePassAsync(stoppingToken).ConfigureAwait(false) > 0)
                {
                    sleep = retry;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                DcgmLog.RestorePassFailed(logger, e, retry.TotalSeconds);
                sleep = retry;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, changed);
            try
            {
                await Task.Delay(sleep, timeProvider, wake.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The registry changed: a fault was recorded or ended.
            }
        }
    }
}
