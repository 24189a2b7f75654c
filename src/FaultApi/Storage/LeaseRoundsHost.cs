using Microsoft.Extensions.Hosting;

namespace FaultApi.Storage;

/// <summary>
/// The rounds a replica runs over its leased records (<see cref="LeasedRecordStore{TRecord, TStored}"/>) at start and
/// then every <see cref="Interval"/>: each of <see cref="Steps"/> in turn (take over records whose replica stopped,
/// delete old ones...), a failing step logged and the others still run, since the Kubernetes API may be unreachable for
/// a while; at shutdown <see cref="StopHereAsync"/> stops the work of this replica (leases released for the next one).
/// Nothing runs while <see cref="Enabled"/> is false (static routing mode).
/// </summary>
public abstract class LeaseRoundsHost(TimeProvider time) : BackgroundService
{
    protected abstract bool Enabled { get; }

    /// <summary>The time between rounds (read at each round).</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The steps of one round, in order.</summary>
    protected abstract IReadOnlyList<LeaseRoundStep> Steps { get; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await StopHereAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the work this replica does on its records and releases their leases.</summary>
    protected abstract Task StopHereAsync();

    /// <summary>Runs once before the first round (when enabled).</summary>
    protected virtual void OnStarting()
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        OnStarting();
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var step in Steps)
            {
                try
                {
                    await step.RunAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // The Kubernetes API may be unreachable for a while: try again at the next round.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    step.Failed(ex);
                }
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
