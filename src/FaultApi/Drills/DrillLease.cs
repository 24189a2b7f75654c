using FaultApi.Storage;
using Microsoft.Extensions.Logging;

namespace FaultApi.Drills;

/// <summary>
/// A <see cref="DrillFollower"/>'s hold on its drill's record: every write goes over the version last read and renews
/// this replica's lease (<see cref="DrillStore"/>). A write refused because someone else changed the record tells the
/// follower to stop (the drill ended or was deleted elsewhere, another replica holds it) or to retry over the version
/// read again (a write of its own raced it). Never throws: the Kubernetes API may fail for a while.
/// </summary>
public sealed class DrillLease(StoredDrill stored, DrillStore store, string identity, TimeSpan leaseDuration, TimeProvider time, ILogger logger)
{
    private StoredDrill _stored = stored;

    public string DrillId => _stored.Drill.DrillId;

    /// <summary>Writes <paramref name="drill"/>. True: saved; false: failed, retry soon; null: someone else changed the record (cancelled, taken over, deleted): stop following.</summary>
    public async Task<bool?> SaveAsync(DrillRecord drill, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(drill);
        try
        {
            var saved = await store.ReplaceAsync(_stored, drill, identity, now, CancellationToken.None).ConfigureAwait(false);
            if (saved is not null)
            {
                _stored = saved;
                return true;
            }

            var current = await store.GetAsync(drill.DrillId, CancellationToken.None).ConfigureAwait(false);
            if (current is null || current.Drill.IsFinal || (current.Holder != identity && !string.IsNullOrEmpty(current.Holder)))
            {
                DrillsLog.Released(logger, drill.DrillId, current is null ? "its record was deleted" : current.Drill.IsFinal ? $"it was {current.Drill.State.JsonName()} elsewhere" : $"{current.Holder} holds it");
                return null;
            }

            _stored = current;
            return false;
        }
#pragma warning disable CA1031 // The Kubernetes API may fail for a while: keep following and retry.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            DrillsLog.SaveFailed(logger, ex, drill.DrillId);
            return false;
        }
    }

    /// <summary>
    /// Until <paramref name="until"/> is cancelled: writes <paramref name="drill"/> every third of the lease, so no
    /// replica, this one included, takes the drill over meanwhile; ends early when someone else changed the record.
    /// </summary>
    public async Task HoldAsync(DrillRecord drill, CancellationToken until)
    {
        while (true)
        {
            try
            {
                await Task.Delay(leaseDuration / 3, time, until).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (await SaveAsync(drill, time.GetUtcNow()).ConfigureAwait(false) is null)
            {
                return;
            }
        }
    }

    /// <summary>The drill as stored now (null when its record is gone).</summary>
    public async Task<DrillRecord?> ReadAsync() => (await store.GetAsync(DrillId, CancellationToken.None).ConfigureAwait(false))?.Drill;

    /// <summary>Writes <paramref name="drill"/> with the lease given up, so another replica resumes it at once (best effort: else the lease expires).</summary>
    public async Task ReleaseAsync(DrillRecord drill, string why)
    {
        try
        {
            await store.ReplaceAsync(_stored, drill, null, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            DrillsLog.Released(logger, DrillId, why);
        }
#pragma warning disable CA1031 // Best effort: the lease then expires on its own.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            DrillsLog.SaveFailed(logger, ex, DrillId);
        }
    }
}
