using FaultApi.Drills;
using FaultApi.EmergencyStop;
using FaultApi.Problems;
using FaultApi.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FaultApi.Suites;

/// <summary>
/// Ends running suites as cancelled: the one this replica runs is halted first, the record says cancelled (a runner on
/// another replica finds its next write refused and stops), its running drills are cancelled through
/// <see cref="DrillCancellation"/> and their faults cleared. It injects nothing, so the emergency stop can hold it
/// (<see cref="SuiteEmergencyStopListener"/>) while the suites' start path consults the stop.
/// </summary>
public sealed class SuiteCancellation(
    SuiteStore store,
    RunningSuites running,
    DrillStore drillStore,
    DrillCancellation drillCancellation,
    SuiteFaultCleaner cleaner,
    TimeProvider time,
    ILogger<SuiteCancellation> logger)
{
    /// <summary>
    /// Ends a running suite as cancelled: no further drill starts, its running drills are cancelled (through whichever
    /// replica follows them) and their faults cleared. A finished suite is returned as it is.
    /// </summary>
    public async Task<SuiteRecord> CancelAsync(string suiteId, string reason, CancellationToken cancellationToken)
    {
        drillCancellation.EnsureEnabled();
        SuiteProblems.CheckId(suiteId);
        if (running.TryHalt(suiteId, out var local))
        {
            await local.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (running.TryGetUnrecorded(suiteId, out var endedHere, out _))
        {
            // It ended here (its drills cancelled, their faults cleared); no write could record it yet.
            return endedHere;
        }

        // 1. The record says cancelled (a runner on another replica finds its next write refused and stops); as large as
        // the API server takes it. One that cannot be written at all still has its drills cancelled, then a 503.
        string? unrecorded = null;
        for (var attempt = 0; ; attempt++)
        {
            var stored = await store.GetAsync(suiteId, cancellationToken).ConfigureAwait(false) ?? throw SuiteProblems.NotFound(suiteId);
            if (stored.Suite.IsFinal)
            {
                return stored.Suite;
            }

            var suite = stored.Suite;
            var now = time.GetUtcNow();
            foreach (var entry in suite.Drills.Where(d => d.State == SuiteState.Pending))
            {
                entry.State = SuiteState.Skipped;
                entry.Reason = $"not started: {reason}";
            }

            suite.State = SuiteState.Cancelled;
            suite.Reason = reason;
            suite.EndedAt = now;
            suite.Add(new SuiteEvent("suite_ended", now, null, suite.Name, null, null, suite.State, reason));
            var (version, changedElsewhere, error) = await SuiteEndRecording.WriteAsync(store, stored, suite, now, cancellationToken).ConfigureAwait(false);
            if (version is not null || !changedElsewhere)
            {
                unrecorded = version is null ? error : null;
                break;
            }

            if (attempt >= 10)
            {
                throw new ApiProblemException(StatusCodes.Status409Conflict, "Suite busy", $"Suite {suiteId} kept changing while it was being cancelled; retry.");
            }
        }

        // 2. Its drills still running are cancelled and their faults cleared; the record gets their outcomes.
        var ours = (await drillStore.ListAsync(runningOnly: false, cancellationToken).ConfigureAwait(false)).Select(s => s.Drill).Where(d => d.SuiteId == suiteId).ToList();
        var outcomes = new List<DrillRecord>();
        var failures = new List<string>();
        foreach (var drill in ours)
        {
            try
            {
                outcomes.Add(drill.IsFinal ? drill : await drillCancellation.CancelAsync(drill.DrillId, reason, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The others are cancelled all the same; this one is named.
                SuitesLog.DrillCancelFailed(logger, ex, suiteId, drill.DrillId);
                failures.Add($"drill {drill.DrillId}: {(ex is ApiProblemException problem ? $"{problem.Status} {problem.Title}: {problem.Message}" : ex.Message)}");
            }
        }

        if (unrecorded is not null)
        {
            foreach (var drill in outcomes.Where(d => !string.IsNullOrEmpty(d.FaultId)))
            {
                var entry = new SuiteDrill { NodeName = drill.NodeName };
                entry.Take(drill);
                await cleaner.ClearAsync(suiteId, entry, drill.Caller, cancellationToken).ConfigureAwait(false);
            }

            throw new ApiProblemException(
                StatusCodes.Status503ServiceUnavailable,
                "Suite record not written",
                $"Suite {suiteId}: its running drills were cancelled and their faults cleared{(failures.Count == 0 ? "" : $" (except {string.Join("; ", failures)})")}, but no record of its cancel could be written ({unrecorded}); its runner ends it when its own next save is refused.");
        }

        if (failures.Count > 0)
        {
            throw new ApiProblemException(
                StatusCodes.Status503ServiceUnavailable,
                "Suite drills not cancelled",
                $"Suite {suiteId} is cancelled, but cancelling some of its drills failed: {string.Join("; ", failures)}. Cancel them again (DELETE /api/v1/drills/{{id}}).");
        }

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var stored = await store.GetAsync(suiteId, cancellationToken).ConfigureAwait(false) ?? throw SuiteProblems.NotFound(suiteId);
            var suite = stored.Suite;
            var cleared = new List<SuiteDrill>();
            foreach (var entry in suite.Drills.Where(d => d.State is SuiteState.Running or SuiteState.Starting))
            {
                var drill = outcomes.FirstOrDefault(d => d.DrillId == entry.DrillId)
                    ?? outcomes.FirstOrDefault(d => entry.DrillId is null && d.NodeName == entry.NodeName && suite.Drills.All(o => o.DrillId != d.DrillId));
                if (drill is null)
                {
                    entry.State = SuiteState.Cancelled;
                    entry.Reason = reason;
                    entry.EndedAt = time.GetUtcNow();
                    continue;
                }

                entry.Take(drill);
                cleared.Add(entry);
            }

            var (version, changedElsewhere, _) = await SuiteEndRecording.WriteAsync(store, stored, suite, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (version is not null || !changedElsewhere)
            {
                // Written (as large as the server takes it), or not at all: the faults are cleared either way.
                foreach (var entry in cleared)
                {
                    await cleaner.ClearAsync(suiteId, entry, suite.Caller, cancellationToken).ConfigureAwait(false);
                }

                SuitesLog.Ended(logger, suiteId, suite.State, reason);
                return suite;
            }
        }

        return (await store.GetAsync(suiteId, cancellationToken).ConfigureAwait(false) ?? throw SuiteProblems.NotFound(suiteId)).Suite;
    }

    /// <summary>
    /// Cancels every running suite in the cluster with <paramref name="reason"/> (the emergency stop's entry point).
    /// Every suite is attempted, one's failure (a store error, a conflict that outlasted the retries, a timeout) logged
    /// and named in its outcome; a suite gone meanwhile has none. A list of the running suites that fails leaves the
    /// ones this replica runs to attempt, and an outcome with id <c>*</c> naming why.
    /// </summary>
    public async Task<IReadOnlyList<StopCancellationOutcome>> CancelAllAsync(string reason, CancellationToken cancellationToken)
    {
        if (!drillCancellation.Enabled)
        {
            return [];
        }

        return await StopCancellations.AttemptAllAsync(
            "suite",
            async token => (await store.ListAsync(runningOnly: true, token).ConfigureAwait(false)).Select(s => s.Suite.SuiteId),
            running.Ids,
            async (id, token) =>
            {
                var suite = await CancelAsync(id, reason, token).ConfigureAwait(false);
                var unrecorded = running.TryGetUnrecorded(id, out _, out var why)
                    ? $"it ended here, but no record of its end could be written ({why}); its record still says running"
                    : null;
                return new StopCancellationOutcome("suite", id, suite.State == SuiteState.Cancelled && suite.Reason == reason, suite.State.JsonName(), unrecorded);
            },
            ex => SuitesLog.CancelAllListFailed(logger, ex),
            (ex, id) => SuitesLog.CancelFailed(logger, ex, id, reason),
            cancellationToken).ConfigureAwait(false);
    }
}
