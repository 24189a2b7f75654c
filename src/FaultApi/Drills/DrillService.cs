using System.Net;
using FaultApi.EmergencyStop;
using FaultApi.Problems;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// Starts drills (validate, refuse a cordoned node or one with a running drill, record, watch, inject through the
/// agent with <see cref="DrillInjection"/>, follow in the background), reads them from their ConfigMaps, cancels them,
/// and resumes drills whose lease expired. <see cref="CancelAllAsync"/> is the entry point an emergency stop calls.
/// Needs Kubernetes routing: in static mode every drill route answers 501.
/// </summary>
public sealed class DrillService(
    DrillStore store,
    KubernetesConnection kubernetes,
    RunningDrills running,
    DrillCancellation cancellation,
    IOptions<RoutingOptions> routing,
    IOptions<DrillOptions> options,
    AgentRouter router,
    DrillInjection injection,
    TimeProvider time,
    ILogger<DrillService> logger) : IAsyncDisposable
{
    /// <summary>
    /// The title of the 409 a suite drill's start answers when another start of its fixed id stored the record and removed
    /// it again (refused, nothing injected) between this start's create (AlreadyExists) and its read: nothing was injected
    /// by either. A suite's runner starts the entry again under the same id.
    /// </summary>
    public const string StartRacedTitle = "Drill start raced";

    private readonly SemaphoreSlim _startGate = new(1, 1);

    /// <summary>This replica's name in drill leases.</summary>
    public string Identity { get; } = $"{Environment.MachineName}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Drills this replica follows now.</summary>
    public IReadOnlyCollection<string> Following => running.Ids;

    public bool Enabled => cancellation.Enabled;

    public async Task<DrillRecord> StartAsync(DrillBody body, string caller, CancellationToken cancellationToken) =>
        (await StartAsync(body, caller, suiteId: null, drillId: null, cancellationToken).ConfigureAwait(false)).Drill;

    /// <summary>
    /// Starts suite <paramref name="suiteId"/>'s drill under the id the suite fixed for it (<paramref name="drillId"/>;
    /// its record carries <c>suite_id</c>), or adopts it: when a record of that id is already stored — another replica
    /// started the same suite entry, e.g. the one whose lease on the suite this replica took over — it is returned as it
    /// is (<c>Adopted</c>) and nothing is injected. A ConfigMap's create is atomic, so of two starts of one id exactly
    /// one stores the record and goes on to inject; the other adopts it.
    /// </summary>
    public Task<(DrillRecord Drill, bool Adopted)> StartForSuiteAsync(DrillBody body, string caller, string suiteId, string drillId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(suiteId);
        ArgumentException.ThrowIfNullOrEmpty(drillId);
        return StartAsync(body, caller, suiteId, DrillProblems.CheckId(drillId), cancellationToken);
    }

    private async Task<(DrillRecord Drill, bool Adopted)> StartAsync(DrillBody body, string caller, string? suiteId, string? drillId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        cancellation.EnsureEnabled();
        var drill = DrillBodyValidation.ToRecord(body, caller, options.Value, time.GetUtcNow(), drillId);
        drill.SuiteId = suiteId;
        var agent = router.Resolve(drill.NodeName);
        var client = kubernetes.Client;
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        StoredDrill stored;
        try
        {
            if (drillId is not null && await AdoptableAsync(drill, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return Adopt(found);
            }

            try
            {
                await EnsureNodeDrillableAsync(client, drill, cancellationToken).ConfigureAwait(false);
                stored = await store.CreateAsync(drill, Identity, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (drillId is not null && ex is ApiProblemException or HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict })
            {
                // The other start of this id stored its record meanwhile (our create answered AlreadyExists, or the
                // node's check found it running): adopted. Anything else stands.
                if (await AdoptableAsync(drill, cancellationToken).ConfigureAwait(false) is not { } adopted)
                {
                    if (ex is ApiProblemException)
                    {
                        throw;
                    }

                    throw new ApiProblemException(StatusCodes.Status409Conflict, StartRacedTitle, $"Drill {drill.DrillId}: another start of this suite entry created its record and removed it again (it did not inject) while this one started; nothing was injected here.", extensions: new Dictionary<string, object?> { ["drill_id"] = drill.DrillId });
                }

                return Adopt(adopted);
            }

            // Another replica may have started one on this node at the same moment. Any other running record yields the
            // node: a rival that saw none when it listed (this record was not stored yet) has gone on to inject, whatever
            // its creation time — ordering by it let a record stored later with an earlier clock (its request came first,
            // then waited) inject as well. Two records that see each other both yield (both 409; the caller retries).
            var rival = (await store.ListAsync(runningOnly: true, cancellationToken).ConfigureAwait(false))
                .Where(d => d.Drill.NodeName == drill.NodeName && d.Drill.DrillId != drill.DrillId)
                .OrderBy(d => d.Drill.CreatedAt)
                .ThenBy(d => d.Drill.DrillId, StringComparer.Ordinal)
                .FirstOrDefault();
            if (rival is not null)
            {
                await store.DeleteAsync(drill.DrillId, CancellationToken.None).ConfigureAwait(false);
                throw DrillProblems.Running(drill.NodeName, rival.Drill.DrillId);
            }
        }
        finally
        {
            _startGate.Release();
        }

        var follower = NewFollower(stored);
        var sending = false;
        var injected = false;
        try
        {
            if (!await follower.StartWatchingAsync(options.Value.SyncTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "Kubernetes API not answering", $"The watches of node '{drill.NodeName}' and its pods did not sync within Drills:SyncTimeout; no fault was injected.");
            }

            var node = follower.Node ?? throw new ApiProblemException(StatusCodes.Status404NotFound, "Unknown node", $"There is no node named '{drill.NodeName}'.", extensions: new Dictionary<string, object?> { ["node_name"] = drill.NodeName });
            var provisional = time.GetUtcNow();
            follower.Arm(DrillProgress.BaselineOf(node, follower.Pods), provisional, provisional + TimeSpan.FromSeconds(drill.TimeoutSeconds));
            await follower.SaveArmedAsync().ConfigureAwait(false);
            sending = true;
            var fault = await injection.SendAsync(follower, drill, caller, cancellationToken).ConfigureAwait(false);
            injection.Confirm(follower, fault, agent.PodName);
            injected = true;
            drill = await follower.SaveNowAsync().ConfigureAwait(false);
        }
        catch (Exception) when (sending && !injected && cancellationToken.IsCancellationRequested)
        {
            // This replica (or the request) stopped while the injection was in flight, whatever the call surfaced as
            // (cancelled, deadline, unavailable): the agent may have written it. The drill stays, unconfirmed and its
            // lease released, for a replica to resume at once: it sends the same injection again (same fault id and
            // idempotency key), which the agent answers from its registry if it wrote it, and follows the drill.
            await follower.ReleaseAsync("the API stopped while the injection was in flight; lease released for the next replica to confirm it").ConfigureAwait(false);
            await follower.DisposeAsync().ConfigureAwait(false);
            throw new OperationCanceledException($"Drill {drill.DrillId}: the injection was in flight when the API stopped; the drill is left for a replica to resume.", cancellationToken);
        }
        catch (Exception ex) when (sending && !injected && DrillInjectionOutcome.IsUnknown(ex))
        {
            // The request may have reached the agent and its answer was lost (deadline, connection reset, the agent's
            // own "outcome unknown"), and sending it again did not confirm it: the agent may hold the fault. The drill
            // is kept, unconfirmed and its lease released, so a replica resumes it (sends the same injection again and
            // follows it, or fails it naming why), and the caller is told which drill and fault to check.
            DrillsLog.InjectionOutcomeUnknown(logger, ex, drill.DrillId, drill.FaultId!);
            await follower.ReleaseAsync("the outcome of its injection is unknown; lease released for a replica to confirm it").ConfigureAwait(false);
            await follower.DisposeAsync().ConfigureAwait(false);
            throw DrillInjectionOutcome.Problem(drill, ex);
        }
        catch
        {
            // Before the injection went out, or the agent (or the API's own checks) refused it with a definite answer
            // (InvalidArgument, FailedPrecondition, ResourceExhausted, PermissionDenied...): nothing was written.
            await follower.DisposeAsync().ConfigureAwait(false);
            if (!injected)
            {
                await store.DeleteAsync(drill.DrillId, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        DrillsLog.Started(logger, drill.DrillId, drill.NodeName, drill.Kind, drill.Code, drill.Expect);
        running.Follow(follower);
        return (drill, false);
    }

    private (DrillRecord Drill, bool Adopted) Adopt(StoredDrill found)
    {
        DrillsLog.Adopted(logger, found.Drill.DrillId, found.Drill.SuiteId ?? "", found.Drill.State);
        return (found.Drill, true);
    }

    /// <summary>
    /// The stored record of <paramref name="drill"/>'s fixed id, when there is one: the same suite's drill on the same
    /// node (a start of the same suite entry), to adopt; null when there is none. Another drill under that id is a 409.
    /// </summary>
    private async Task<StoredDrill?> AdoptableAsync(DrillRecord drill, CancellationToken cancellationToken)
    {
        var existing = await store.GetAsync(drill.DrillId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return null;
        }

        if (existing.Drill.SuiteId != drill.SuiteId || existing.Drill.NodeName != drill.NodeName)
        {
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Drill id taken", $"Drill {drill.DrillId} already exists for suite '{existing.Drill.SuiteId}' on node '{existing.Drill.NodeName}', not for this suite entry; nothing was injected.", extensions: new Dictionary<string, object?> { ["drill_id"] = drill.DrillId });
        }

        return existing;
    }

    /// <summary>Checks <paramref name="body"/> as <c>POST /api/v1/drills</c> would (400 with an <c>errors</c> map); starts nothing.</summary>
    public void CheckBody(DrillBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _ = DrillBodyValidation.ToRecord(body, "", options.Value, time.GetUtcNow());
    }

    public async Task<DrillRecord> GetAsync(string drillId, CancellationToken cancellationToken) =>
        (await GetStoredAsync(drillId, cancellationToken).ConfigureAwait(false)).Drill;

    /// <summary>The drill with its ConfigMap's resourceVersion (to watch from).</summary>
    public async Task<StoredDrill> GetStoredAsync(string drillId, CancellationToken cancellationToken)
    {
        cancellation.EnsureEnabled();
        var stored = await store.GetAsync(DrillProblems.CheckId(drillId), cancellationToken).ConfigureAwait(false);
        return stored ?? throw DrillProblems.NotFound(drillId);
    }

    public async Task<IReadOnlyList<DrillRecord>> ListAsync(string? node, CancellationToken cancellationToken)
    {
        cancellation.EnsureEnabled();
        var all = await store.ListAsync(runningOnly: false, cancellationToken).ConfigureAwait(false);
        return [.. all.Select(s => s.Drill)
            .Where(d => string.IsNullOrEmpty(node) || d.NodeName == node)
            .OrderByDescending(d => d.CreatedAt)
            .ThenBy(d => d.DrillId, StringComparer.Ordinal)];
    }

    /// <summary>Ends a running drill as cancelled (here if this replica follows it, else by writing its record); a finished drill is returned as it is.</summary>
    public Task<DrillRecord> CancelAsync(string drillId, string reason, CancellationToken cancellationToken) =>
        cancellation.CancelAsync(drillId, reason, cancellationToken);

    /// <summary>Cancels every running drill in the cluster with <paramref name="reason"/> (the emergency stop's entry point, <see cref="DrillCancellation.CancelAllAsync"/>).</summary>
    public Task<IReadOnlyList<StopCancellationOutcome>> CancelAllAsync(string reason, CancellationToken cancellationToken) =>
        cancellation.CancelAllAsync(reason, cancellationToken);

    /// <summary>Takes over running drills nobody holds (their replica stopped, or its lease expired) and follows them here.</summary>
    public Task<int> ResumeOrphanedAsync(CancellationToken cancellationToken) => !Enabled || running.Stopping ? Task.FromResult(0) : store.ResumeOrphanedAsync(
        Identity, options.Value.LeaseDuration, time.GetUtcNow(), running.Contains, FollowResumedAsync, cancellationToken);

    /// <summary>
    /// Deletes the records of finished drills that ended more than <c>Drills:RecordRetention</c> ago, then the
    /// longest-ended beyond <c>Drills:MaxRecords</c>; running drills are never deleted. Replicas may prune at once (a
    /// record already gone is skipped). Returns how many were deleted.
    /// </summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken) => !Enabled ? Task.FromResult(0) : store.PruneAsync(
        options.Value.MaxRecords, options.Value.RecordRetention, time.GetUtcNow(), (pruned, kept) => DrillsLog.Pruned(logger, pruned, kept), cancellationToken);

    /// <summary>Stops following (leases released, drills left running for the next replica to resume).</summary>
    public Task StopFollowingAsync() => running.StopFollowingAsync();

    /// <summary>Stops following. The start gate is left to the collector: a request still in flight at shutdown may use it.</summary>
    public async ValueTask DisposeAsync() => await StopFollowingAsync().ConfigureAwait(false);

    /// <summary>Follows a drill this replica just claimed (<see cref="ResumeOrphanedAsync"/>); false when its watches did not sync (the lease expires and it is retried).</summary>
    private async Task<bool> FollowResumedAsync(StoredDrill claimed, string? from, CancellationToken cancellationToken)
    {
        var follower = NewFollower(claimed);
        DrillsLog.Resumed(logger, claimed.Drill.DrillId, Identity, from);
        if (!await follower.StartWatchingAsync(options.Value.SyncTimeout, cancellationToken).ConfigureAwait(false))
        {
            DrillsLog.Released(logger, claimed.Drill.DrillId, "watches did not sync; the lease will expire and be retried");
            await follower.DisposeAsync().ConfigureAwait(false);
            return false;
        }

        if (claimed.Drill.InjectedAt is null)
        {
            // The replica that started it stopped while the injection was in flight: judge from the baseline it
            // recorded (or, if it stopped before that, from now: nothing was sent then) and confirm the injection
            // before following.
            var drill = claimed.Drill;
            var baseline = drill.Baseline.BootId.Length > 0 || follower.Node is not { } node ? drill.Baseline : DrillProgress.BaselineOf(node, follower.Pods);
            var now = time.GetUtcNow();
            follower.Arm(baseline, now, now + TimeSpan.FromSeconds(drill.TimeoutSeconds));
            running.Follow(follower, stopping => injection.ConfirmResumedAsync(follower, drill, stopping));
        }
        else
        {
            running.Follow(follower);
        }

        return true;
    }

    private DrillFollower NewFollower(StoredDrill stored) => new(
        stored, store, kubernetes.Client, routing.Value, options.Value.LeaseDuration, Identity, time, logger);

    private async Task EnsureNodeDrillableAsync(IKubernetes client, DrillRecord drill, CancellationToken cancellationToken)
    {
        V1Node node;
        try
        {
            node = await client.CoreV1.ReadNodeAsync(drill.NodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ApiProblemException(StatusCodes.Status404NotFound, "Unknown node", $"There is no node named '{drill.NodeName}'.", extensions: new Dictionary<string, object?> { ["node_name"] = drill.NodeName });
        }

        var extensions = new Dictionary<string, object?> { ["node_name"] = drill.NodeName };
        if (node.Spec?.Unschedulable == true)
        {
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Node already cordoned", $"Node '{drill.NodeName}' is already cordoned; a drill needs a schedulable node to measure the monitor's reaction. Uncordon it first.", extensions: extensions);
        }

        var taints = DrillProgress.Expectations(drill).Where(e => e.Kind == DrillExpectationKind.Taint && (node.Spec?.Taints ?? []).Any(t => t.Key == e.Argument)).Select(e => e.Argument!).ToList();
        if (taints.Count > 0)
        {
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Node already tainted", $"Node '{drill.NodeName}' already has the expected taint(s) {string.Join(", ", taints)}; remove them first.", extensions: extensions);
        }

        var running = (await store.ListAsync(runningOnly: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Drill.NodeName == drill.NodeName);
        if (running is not null)
        {
            throw DrillProblems.Running(drill.NodeName, running.Drill.DrillId);
        }
    }
}
