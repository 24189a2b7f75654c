using System.Globalization;
using System.Net;
using FaultApi.Agents;
using FaultApi.Faults;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Validation;
using FaultInjection.Agent.V1;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// Starts drills (validate, refuse a cordoned node or one with a running drill, record, watch, inject through the
/// agent, follow in the background), reads them from their ConfigMaps, cancels them, and resumes drills whose lease
/// expired. <see cref="CancelAllAsync"/> is the entry point an emergency stop calls.
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
    FaultInjector injector,
    IOptions<AgentsOptions> agents,
    TimeProvider time,
    ILogger<DrillService> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _startGate = new(1, 1);

    /// <summary>This replica's name in drill leases.</summary>
    public string Identity { get; } = $"{Environment.MachineName}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Drills this replica follows now.</summary>
    public IReadOnlyCollection<string> Following => running.Ids;

    public bool Enabled => cancellation.Enabled;

    public Task<DrillRecord> StartAsync(DrillBody body, string caller, CancellationToken cancellationToken) =>
        StartAsync(body, caller, suiteId: null, cancellationToken);

    /// <summary>Starts a drill as part of suite <paramref name="suiteId"/> (its record carries <c>suite_id</c>, so a resumed suite finds it).</summary>
    public async Task<DrillRecord> StartAsync(DrillBody body, string caller, string? suiteId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        cancellation.EnsureEnabled();
        var drill = DrillBodyValidation.ToRecord(body, caller, options.Value, time.GetUtcNow());
        drill.SuiteId = suiteId;
        var agent = router.Resolve(drill.NodeName);
        var client = kubernetes.Client;
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        StoredDrill stored;
        try
        {
            await EnsureNodeDrillableAsync(client, drill, cancellationToken).ConfigureAwait(false);
            stored = await store.CreateAsync(drill, Identity, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

            // Another replica may have started one on this node at the same moment: the earliest keeps it.
            var rivals = (await store.ListAsync(runningOnly: true, cancellationToken).ConfigureAwait(false))
                .Where(d => d.Drill.NodeName == drill.NodeName)
                .OrderBy(d => d.Drill.CreatedAt)
                .ThenBy(d => d.Drill.DrillId, StringComparer.Ordinal)
                .ToList();
            if (rivals.Count > 0 && rivals[0].Drill.DrillId != drill.DrillId)
            {
                await store.DeleteAsync(drill.DrillId, CancellationToken.None).ConfigureAwait(false);
                throw DrillProblems.Running(drill.NodeName, rivals[0].Drill.DrillId);
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
            var fault = await SendInjectionAsync(follower, drill, caller, cancellationToken).ConfigureAwait(false);
            Confirm(follower, fault, agent.PodName);
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
        return drill;
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
    public Task<IReadOnlyList<string>> CancelAllAsync(string reason, CancellationToken cancellationToken) =>
        cancellation.CancelAllAsync(reason, cancellationToken);

    /// <summary>Takes over running drills nobody holds (their replica stopped, or its lease expired) and follows them here.</summary>
    public async Task<int> ResumeOrphanedAsync(CancellationToken cancellationToken)
    {
        if (!Enabled || running.Stopping)
        {
            return 0;
        }

        var resumed = 0;
        var now = time.GetUtcNow();
        await foreach (var (claimed, from) in store.ClaimOrphanedAsync(Identity, options.Value.LeaseDuration, now, running.Contains, cancellationToken).ConfigureAwait(false))
        {
            var follower = NewFollower(claimed);
            DrillsLog.Resumed(logger, claimed.Drill.DrillId, Identity, from);
            if (!await follower.StartWatchingAsync(options.Value.SyncTimeout, cancellationToken).ConfigureAwait(false))
            {
                DrillsLog.Released(logger, claimed.Drill.DrillId, "watches did not sync; the lease will expire and be retried");
                await follower.DisposeAsync().ConfigureAwait(false);
                continue;
            }

            if (claimed.Drill.InjectedAt is null)
            {
                // The replica that started it stopped while the injection was in flight: judge from the baseline it
                // recorded (or, if it stopped before that, from now: nothing was sent then) and confirm the injection
                // before following.
                var drill = claimed.Drill;
                var baseline = drill.Baseline.BootId.Length > 0 || follower.Node is not { } node ? drill.Baseline : DrillProgress.BaselineOf(node, follower.Pods);
                follower.Arm(baseline, now, now + TimeSpan.FromSeconds(drill.TimeoutSeconds));
                running.Follow(follower, stopping => ConfirmResumedInjectionAsync(follower, drill, stopping));
            }
            else
            {
                running.Follow(follower);
            }

            resumed++;
        }

        return resumed;
    }

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

    /// <summary>
    /// For a resumed drill whose injection was in flight when its replica stopped: sends the same injection again (the
    /// drill's fault id and idempotency key), which the agent answers from its registry when it wrote it (a replay, nothing
    /// written twice) and writes otherwise, and confirms it. Refused (4xx: the emergency stop, the blast radius, the agent),
    /// or not confirmed within the drill's timeout, the drill fails naming why. True to follow the drill, false when this
    /// replica stops meanwhile (the drill is released again, unconfirmed).
    /// </summary>
    private async Task<bool> ConfirmResumedInjectionAsync(DrillFollower follower, DrillRecord drill, CancellationToken stopping)
    {
        var attempt = 0;
        while (true)
        {
            try
            {
                var agent = router.Resolve(drill.NodeName);
                var fault = await InjectHoldingTheLeaseAsync(follower, drill, drill.Caller, stopping).ConfigureAwait(false);
                // Its deadline counts from the injection found, not from this resume.
                Confirm(follower, fault, agent.PodName, TimeSpan.FromSeconds(drill.TimeoutSeconds));
                DrillsLog.InjectionConfirmed(logger, drill.DrillId, fault.FaultId, fault.Replayed);
                return true;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                await follower.ReleaseAsync("the API stopped while confirming the injection; lease released").ConfigureAwait(false);
                return false;
            }
            catch (ApiProblemException problem) when (problem.Status is >= 400 and < 500)
            {
                follower.NotInjected($"The API stopped while the injection was in flight, and sending it again was refused ({problem.Title}: {problem.Message}); nothing was measured.");
                return true;
            }
            catch (Exception ex) when (ex is ApiProblemException or HttpOperationException or HttpRequestException)
            {
                if (time.GetUtcNow() - drill.CreatedAt > TimeSpan.FromSeconds(drill.TimeoutSeconds))
                {
                    follower.NotInjected($"The API stopped while the injection was in flight, and it could not be confirmed within the drill's timeout ({ex.Message}); nothing was measured.");
                    return true;
                }

                // Routing not synced yet after a restart, the agent restarting: try again shortly.
                DrillsLog.ConfirmFailed(logger, ex, drill.DrillId);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 << Math.Min(attempt++, 5))), time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await follower.ReleaseAsync("the API stopped while confirming the injection; lease released").ConfigureAwait(false);
                return false;
            }
        }
    }

    /// <summary>Records the agent's proof of the injection in the drill (the <c>injected</c> step) and its real t0 (and the deadline <paramref name="timeout"/> after it, when given).</summary>
    private void Confirm(DrillFollower follower, FaultResource fault, string agentPod, TimeSpan? timeout = null)
    {
        // The Xid's own record (the driver's preamble and follow-up lines may surround it).
        var record = fault.Records.FirstOrDefault(r => r.Text.EndsWith(fault.Line, StringComparison.Ordinal)) ?? (fault.Records.Count > 0 ? fault.Records[0] : null);
        var t0 = record?.ObservedAt ?? fault.InjectedAt ?? time.GetUtcNow();
        follower.Confirm(t0, d =>
        {
            d.FaultId = fault.FaultId;
            d.Line = fault.Line;
            d.KernelTimestampUs = record?.TimestampUs;
            d.KernelSequence = record?.Sequence;
            if (timeout is { } after)
            {
                d.Deadline = t0 + after;
            }

            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["fault_id"] = fault.FaultId,
                ["line"] = fault.Line,
                ["kernel_timestamp_us"] = (record?.TimestampUs ?? 0).ToString(CultureInfo.InvariantCulture),
                ["kernel_sequence"] = (record?.Sequence ?? 0).ToString(CultureInfo.InvariantCulture),
                ["agent_pod"] = agentPod,
            };
            foreach (var write in fault.DcgmWrites)
            {
                // e.g. dcgm_field_230 = "79 read back from DCGM GPU 1 (localhost)"
                details[$"dcgm_field_{write.FieldId.ToString(CultureInfo.InvariantCulture)}"] = $"{write.ReadBack} read back from DCGM GPU {write.DcgmGpuId.ToString(CultureInfo.InvariantCulture)} ({write.HostEngine})";
            }

            d.Steps.Add(new DrillStep("injected", t0, 0, details));
        });
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

    /// <summary>
    /// Sends the drill's injection; when a send's outcome is unknown (<see cref="DrillInjectionOutcome.CanResend"/>: the
    /// request may have reached the agent, its answer was lost) sends the same injection again (the same fault id and
    /// idempotency key: the agent answers from its registry if it wrote it), at most
    /// <see cref="DrillInjectionOutcome.MaxSends"/> times in all and not after <c>Agents:CallTimeoutSeconds</c> from the
    /// first send. The last failure is thrown.
    /// </summary>
    private async Task<FaultResource> SendInjectionAsync(DrillFollower follower, DrillRecord drill, string caller, CancellationToken cancellationToken)
    {
        var firstSent = time.GetUtcNow();
        var window = TimeSpan.FromSeconds(agents.Value.CallTimeoutSeconds);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InjectHoldingTheLeaseAsync(follower, drill, caller, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DrillInjectionOutcome.CanResend(ex)
                && attempt < DrillInjectionOutcome.MaxSends && time.GetUtcNow() - firstSent < window)
            {
                DrillsLog.ResendingInjection(logger, ex, drill.DrillId, attempt);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The injection, while <paramref name="follower"/> keeps this replica's lease on the drill (a DCGM surface can take longer than the lease).</summary>
    private async Task<FaultResource> InjectHoldingTheLeaseAsync(DrillFollower follower, DrillRecord drill, string caller, CancellationToken cancellationToken)
    {
        using var injecting = new CancellationTokenSource();
        var lease = follower.HoldLeaseAsync(injecting.Token);
        try
        {
            return await InjectAsync(drill, caller, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await injecting.CancelAsync().ConfigureAwait(false);
            await lease.ConfigureAwait(false);
        }
    }

    private async Task<FaultResource> InjectAsync(DrillRecord drill, string caller, CancellationToken cancellationToken)
    {
        var target = new InjectionTarget(drill.NodeName, null, null, null, drill.FaultId, DryRun: false);
        AgentInjection injection = drill.Kind == "sxid"
            ? new SxidInjection(new InjectSxidRequest { Sxid = drill.Code, Nvswitch = drill.Nvswitch ?? 0, Link = drill.Link ?? 0, Message = drill.Message ?? "", Surfaces = { drill.Surfaces } })
            : new XidInjection(new InjectXidRequest { Xid = drill.Code, GpuId = drill.GpuId ?? 0, Message = drill.Message ?? "", Surfaces = { drill.Surfaces } });
        var faults = await injector.InjectAsync(target, caller, $"drill-{drill.DrillId}", injection, cancellationToken).ConfigureAwait(false);
        return faults[0];
    }
}
