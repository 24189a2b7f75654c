using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Registry;

/// <summary>
/// Ends each fault when its duration has passed, on the agent's own clock, whether or not anyone calls the API; prunes
/// ended records on the way. Sleeps until the next expiry (at most <see cref="MaxSleep"/>) or until the registry changes.
/// </summary>
public sealed class FaultExpiryService(FaultRegistry registry, TimeProvider timeProvider, ILogger<FaultExpiryService> logger) : BackgroundService
{
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(5);

    /// <summary>The pause after a failed pass (e.g. an unwritable state directory), so a failure cannot spin.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await registry.InitializeAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = registry.ChangeToken;
            var failed = false;
            try
            {
                await registry.EndExpiredAndPruneAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                FaultRegistryLog.ExpiryFailed(logger, e);
                failed = true;
            }

            var sleep = MaxSleep;
            if (failed)
            {
                sleep = RetryAfterFailure;
            }
            else if (registry.NextExpiry is { } next)
            {
                var untilNext = next - timeProvider.GetUtcNow();
                sleep = untilNext < TimeSpan.Zero ? TimeSpan.Zero : (untilNext < MaxSleep ? untilNext : MaxSleep);
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, changed);
            try
            {
                await Task.Delay(sleep, timeProvider, wake.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The registry changed: recompute the next expiry.
            }
        }
    }
}
