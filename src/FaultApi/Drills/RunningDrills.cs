using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FaultApi.Drills;

/// <summary>
/// The drills this replica follows: each <see cref="DrillFollower"/> runs in the background until its verdict (counted in
/// <see cref="DrillMetrics"/>), until it is cancelled, or until <see cref="StopFollowingAsync"/> releases it for another
/// replica to resume.
/// </summary>
public sealed class RunningDrills(DrillMetrics metrics, ILogger<RunningDrills> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (DrillFollower Follower, Task Run)> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Drills this replica follows now.</summary>
    public IReadOnlyCollection<string> Ids => [.. _running.Keys];

    /// <summary>True once this replica stopped following drills (it is shutting down).</summary>
    public bool Stopping => _stopping.IsCancellationRequested;

    public bool Contains(string drillId) => _running.ContainsKey(drillId);

    /// <summary>Cancels the drill with <paramref name="reason"/> if this replica follows it, and waits for its record; false when it does not follow it.</summary>
    public async Task<bool> TryCancelAsync(string drillId, string reason, CancellationToken cancellationToken)
    {
        if (!_running.TryGetValue(drillId, out var local))
        {
            return false;
        }

        local.Follower.Cancel(reason);
        await local.Run.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Follows <paramref name="follower"/> in the background until its drill ends or this replica stops following.</summary>
    public void Follow(DrillFollower follower) => Follow(follower, before: null);

    /// <summary>
    /// As <see cref="Follow(DrillFollower)"/>, running <paramref name="before"/> first in the background (a resumed drill's
    /// injection to confirm); it returns false when the following is to stop there (this replica stopping).
    /// </summary>
    public void Follow(DrillFollower follower, Func<CancellationToken, Task<bool>>? before)
    {
        ArgumentNullException.ThrowIfNull(follower);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Task.Run(async () =>
        {
            await started.Task.ConfigureAwait(false);
            try
            {
                if (before is not null && !await before(_stopping.Token).ConfigureAwait(false))
                {
                    return;
                }

                var ended = await follower.RunAsync(_stopping.Token).ConfigureAwait(false);
                if (ended is { State: DrillState.Passed or DrillState.Failed or DrillState.Cancelled })
                {
                    metrics.Completed(ended.State);
                }
            }
#pragma warning disable CA1031 // A failing drill must not take the API down; it is logged and its lease expires.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                DrillsLog.FollowFailed(logger, ex, follower.DrillId);
            }
            finally
            {
                _running.TryRemove(follower.DrillId, out _);
                await follower.DisposeAsync().ConfigureAwait(false);
            }
        });
        _running[follower.DrillId] = (follower, run);
        started.SetResult();
    }

    /// <summary>Stops following (leases released, drills left running for the next replica to resume).</summary>
    public async Task StopFollowingAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values.Select(r => r.Run)).ConfigureAwait(false);
    }

    /// <summary>Stops following. The token source is left to the collector: a request still in flight at shutdown may use it.</summary>
    public async ValueTask DisposeAsync() => await StopFollowingAsync().ConfigureAwait(false);
}
