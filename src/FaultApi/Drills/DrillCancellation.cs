using FaultApi.EmergencyStop;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// Ends running drills as cancelled: here when this replica follows the drill (<see cref="RunningDrills"/>), else by
/// writing its record. It injects nothing, so the emergency stop can hold it (<see cref="DrillEmergencyStopListener"/>)
/// while the injection path consults the stop.
/// </summary>
public sealed class DrillCancellation(
    DrillStore store,
    RunningDrills running,
    IOptions<RoutingOptions> routing,
    TimeProvider time,
    ILogger<DrillCancellation> logger)
{
    /// <summary>Drills need Kubernetes routing: in static mode every drill route answers 501.</summary>
    public bool Enabled => routing.Value.Mode == RoutingMode.Kubernetes;

    public void EnsureEnabled()
    {
        if (!Enabled)
        {
            throw DrillProblems.NeedsKubernetes();
        }
    }

    /// <summary>Ends a running drill as cancelled (here if this replica follows it, else by writing its record); a finished drill is returned as it is.</summary>
    public async Task<DrillRecord> CancelAsync(string drillId, string reason, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        DrillProblems.CheckId(drillId);
        if (await running.TryCancelAsync(drillId, reason, cancellationToken).ConfigureAwait(false))
        {
            var followed = await store.GetAsync(drillId, cancellationToken).ConfigureAwait(false);
            return followed?.Drill ?? throw DrillProblems.NotFound(drillId);
        }

        for (var attempt = 0; ; attempt++)
        {
            var stored = await store.GetAsync(drillId, cancellationToken).ConfigureAwait(false) ?? throw DrillProblems.NotFound(drillId);
            if (stored.Drill.IsFinal)
            {
                return stored.Drill;
            }

            var drill = stored.Drill;
            drill.State = DrillState.Cancelled;
            drill.Reason = reason;
            drill.EndedAt = time.GetUtcNow();
            if (await store.ReplaceAsync(stored, drill, null, drill.EndedAt.Value, cancellationToken).ConfigureAwait(false) is not null)
            {
                DrillsLog.Ended(logger, drillId, drill.State, reason);
                return drill;
            }

            if (attempt >= 10)
            {
                throw new ApiProblemException(StatusCodes.Status409Conflict, "Drill busy", $"Drill {drillId} kept changing while it was being cancelled; retry.");
            }
        }
    }

    /// <summary>
    /// Cancels every running drill in the cluster (this replica's and the others') with <paramref name="reason"/>: the
    /// emergency stop's entry point. Every drill is attempted, one's failure (a store error, a conflict that outlasted
    /// the retries, a timeout) logged and named in its outcome; a drill gone meanwhile has none. A list of the running
    /// drills that fails leaves the ones this replica follows to attempt, and an outcome with id <c>*</c> naming why.
    /// Nothing in static routing mode.
    /// </summary>
    public async Task<IReadOnlyList<StopCancellationOutcome>> CancelAllAsync(string reason, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return [];
        }

        return await StopCancellations.AttemptAllAsync(
            "drill",
            async token => (await store.ListAsync(runningOnly: true, token).ConfigureAwait(false)).Select(d => d.Drill.DrillId),
            running.Ids,
            async (id, token) =>
            {
                var drill = await CancelAsync(id, reason, token).ConfigureAwait(false);
                return new StopCancellationOutcome("drill", id, drill.State == DrillState.Cancelled && drill.Reason == reason, drill.State.JsonName(),
                    drill.IsFinal ? null : "still running after the cancel: its end could not be written");
            },
            ex => DrillsLog.CancelAllListFailed(logger, ex),
            (ex, id) => DrillsLog.CancelFailed(logger, ex, id, reason),
            cancellationToken).ConfigureAwait(false);
    }
}
