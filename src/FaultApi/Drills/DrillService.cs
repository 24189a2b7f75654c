using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using FaultApi.Faults;
using FaultApi.Metrics;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Validation;
using FaultInjection.Agent.V1;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
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
    IServiceProvider services,
    IOptions<RoutingOptions> routing,
    IOptions<DrillOptions> options,
    AgentRouter router,
    FaultInjector injector,
    TimeProvider time,
    ILogger<DrillService> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (DrillFollower Follower, Task Run)> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _startGate = new(1, 1);

    /// <summary>This replica's name in drill leases.</summary>
    public string Identity { get; } = $"{Environment.MachineName}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Drills this replica follows now.</summary>
    public IReadOnlyCollection<string> Following => [.. _running.Keys];

    public bool Enabled => routing.Value.Mode == RoutingMode.Kubernetes;

    private DrillStore Store => services.GetRequiredService<DrillStore>();

    public Task<DrillRecord> StartAsync(DrillBody body, string caller, CancellationToken cancellationToken) =>
        StartAsync(body, caller, suiteId: null, cancellationToken);

    /// <summary>Starts a drill as part of suite <paramref name="suiteId"/> (its record carries <c>suite_id</c>, so a resumed suite finds it).</summary>
    public async Task<DrillRecord> StartAsync(DrillBody body, string caller, string? suiteId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        EnsureEnabled();
        var drill = Validate(body, caller);
        drill.SuiteId = suiteId;
        var agent = router.Resolve(drill.NodeName);
        var client = services.GetRequiredService<IKubernetes>();
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        StoredDrill stored;
        try
        {
            await EnsureNodeDrillableAsync(client, drill, cancellationToken).ConfigureAwait(false);
            stored = await Store.CreateAsync(drill, Identity, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

            // Another replica may have started one on this node at the same moment: the earliest keeps it.
            var rivals = (await Store.ListAsync(runningOnly: true, cancellationToken).ConfigureAwait(false))
                .Where(d => d.Drill.NodeName == drill.NodeName)
                .OrderBy(d => d.Drill.CreatedAt)
                .ThenBy(d => d.Drill.DrillId, StringComparer.Ordinal)
                .ToList();
            if (rivals.Count > 0 && rivals[0].Drill.DrillId != drill.DrillId)
            {
                await Store.DeleteAsync(drill.DrillId, CancellationToken.None).ConfigureAwait(false);
                throw DrillRunning(drill.NodeName, rivals[0].Drill.DrillId);
            }
        }
        finally
        {
            _startGate.Release();
        }

        var follower = NewFollower(stored);
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
            var fault = await InjectHoldingTheLeaseAsync(follower, drill, caller, cancellationToken).ConfigureAwait(false);
            // The Xid's own record (the driver's preamble and follow-up lines may surround it).
            var record = fault.Records.FirstOrDefault(r => r.Text.EndsWith(fault.Line, StringComparison.Ordinal)) ?? (fault.Records.Count > 0 ? fault.Records[0] : null);
            var t0 = record?.ObservedAt ?? fault.InjectedAt ?? time.GetUtcNow();
            follower.Confirm(t0, d =>
            {
                d.FaultId = fault.FaultId;
                d.Line = fault.Line;
                d.KernelTimestampUs = record?.TimestampUs;
                d.KernelSequence = record?.Sequence;
                var details = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["fault_id"] = fault.FaultId,
                    ["line"] = fault.Line,
                    ["kernel_timestamp_us"] = (record?.TimestampUs ?? 0).ToString(CultureInfo.InvariantCulture),
                    ["kernel_sequence"] = (record?.Sequence ?? 0).ToString(CultureInfo.InvariantCulture),
                    ["agent_pod"] = agent.PodName,
                };
                foreach (var write in fault.DcgmWrites)
                {
                    // e.g. dcgm_field_230 = "79 read back from DCGM GPU 1 (localhost)"
                    details[$"dcgm_field_{write.FieldId.ToString(CultureInfo.InvariantCulture)}"] = $"{write.ReadBack} read back from DCGM GPU {write.DcgmGpuId.ToString(CultureInfo.InvariantCulture)} ({write.HostEngine})";
                }

                d.Steps.Add(new DrillStep("injected", t0, 0, details));
            });
            injected = true;
            drill = await follower.SaveNowAsync().ConfigureAwait(false);
        }
        catch
        {
            await follower.DisposeAsync().ConfigureAwait(false);
            if (!injected)
            {
                await Store.DeleteAsync(drill.DrillId, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        DrillsLog.Started(logger, drill.DrillId, drill.NodeName, drill.Kind, drill.Code, drill.Expect);
        Follow(follower);
        return drill;
    }

    /// <summary>Checks <paramref name="body"/> as <c>POST /api/v1/drills</c> would (400 with an <c>errors</c> map); starts nothing.</summary>
    public void CheckBody(DrillBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _ = Validate(body, "");
    }

    public async Task<DrillRecord> GetAsync(string drillId, CancellationToken cancellationToken) =>
        (await GetStoredAsync(drillId, cancellationToken).ConfigureAwait(false)).Drill;

    /// <summary>The drill with its ConfigMap's resourceVersion (to watch from).</summary>
    public async Task<StoredDrill> GetStoredAsync(string drillId, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        var stored = await Store.GetAsync(CheckId(drillId), cancellationToken).ConfigureAwait(false);
        return stored ?? throw NotFound(drillId);
    }

    public async Task<IReadOnlyList<DrillRecord>> ListAsync(string? node, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        var all = await Store.ListAsync(runningOnly: false, cancellationToken).ConfigureAwait(false);
        return [.. all.Select(s => s.Drill)
            .Where(d => string.IsNullOrEmpty(node) || d.NodeName == node)
            .OrderByDescending(d => d.CreatedAt)
            .ThenBy(d => d.DrillId, StringComparer.Ordinal)];
    }

    /// <summary>Ends a running drill as cancelled (here if this replica follows it, else by writing its record); a finished drill is returned as it is.</summary>
    public async Task<DrillRecord> CancelAsync(string drillId, string reason, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        CheckId(drillId);
        if (_running.TryGetValue(drillId, out var local))
        {
            local.Follower.Cancel(reason);
            await local.Run.WaitAsync(cancellationToken).ConfigureAwait(false);
            return await GetAsync(drillId, cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; ; attempt++)
        {
            var stored = await Store.GetAsync(drillId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(drillId);
            if (stored.Drill.IsFinal)
            {
                return stored.Drill;
            }

            var drill = stored.Drill;
            drill.State = DrillState.Cancelled;
            drill.Reason = reason;
            drill.EndedAt = time.GetUtcNow();
            if (await Store.ReplaceAsync(stored, drill, null, drill.EndedAt.Value, cancellationToken).ConfigureAwait(false) is not null)
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
    /// emergency stop's entry point. Returns the ids cancelled. Does nothing in static routing mode.
    /// </summary>
    public async Task<IReadOnlyList<string>> CancelAllAsync(string reason, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return [];
        }

        var ids = (await Store.ListAsync(runningOnly: true, cancellationToken).ConfigureAwait(false)).Select(d => d.Drill.DrillId).Union(_running.Keys).ToList();
        var cancelled = new List<string>();
        foreach (var id in ids)
        {
            try
            {
                var drill = await CancelAsync(id, reason, cancellationToken).ConfigureAwait(false);
                if (drill.State == DrillState.Cancelled && drill.Reason == reason)
                {
                    cancelled.Add(id);
                }
            }
            catch (ApiProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
            {
            }
        }

        return cancelled;
    }

    /// <summary>Takes over running drills nobody holds (their replica stopped, or its lease expired) and follows them here.</summary>
    public async Task<int> ResumeOrphanedAsync(CancellationToken cancellationToken)
    {
        if (!Enabled || _stopping.IsCancellationRequested)
        {
            return 0;
        }

        var resumed = 0;
        var now = time.GetUtcNow();
        foreach (var stored in await Store.ListAsync(runningOnly: true, cancellationToken).ConfigureAwait(false))
        {
            if (_running.ContainsKey(stored.Drill.DrillId) || stored.Drill.IsFinal || !stored.LeaseExpired(now, options.Value.LeaseDuration))
            {
                continue;
            }

            // The write carries the version read: of two replicas taking over at once, one wins, the other gets null.
            var claimed = await Store.ReplaceAsync(stored, stored.Drill, Identity, now, cancellationToken).ConfigureAwait(false);
            if (claimed is null)
            {
                continue;
            }

            var follower = NewFollower(claimed);
            DrillsLog.Resumed(logger, claimed.Drill.DrillId, Identity, stored.Holder);
            if (!await follower.StartWatchingAsync(options.Value.SyncTimeout, cancellationToken).ConfigureAwait(false))
            {
                DrillsLog.Released(logger, claimed.Drill.DrillId, "watches did not sync; the lease will expire and be retried");
                await follower.DisposeAsync().ConfigureAwait(false);
                continue;
            }

            Follow(follower);
            resumed++;
        }

        return resumed;
    }

    /// <summary>
    /// Deletes the records of finished drills that ended more than <c>Drills:RecordRetention</c> ago, then the
    /// longest-ended beyond <c>Drills:MaxRecords</c>; running drills are never deleted. Replicas may prune at once (a
    /// record already gone is skipped). Returns how many were deleted.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return 0;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var finished = (await Store.ListAsync(runningOnly: false, cancellationToken).ConfigureAwait(false))
            .Select(s => s.Drill)
            .Where(d => d.IsFinal)
            .OrderByDescending(d => d.EndedAt ?? d.CreatedAt)
            .ThenBy(d => d.DrillId, StringComparer.Ordinal)
            .ToList();
        var pruned = finished
            .Where((d, i) => i >= settings.MaxRecords || now - (d.EndedAt ?? d.CreatedAt) > settings.RecordRetention)
            .ToList();
        foreach (var drill in pruned)
        {
            await Store.DeleteAsync(drill.DrillId, cancellationToken).ConfigureAwait(false);
        }

        if (pruned.Count > 0)
        {
            DrillsLog.Pruned(logger, pruned.Count, finished.Count - pruned.Count);
        }

        return pruned.Count;
    }

    /// <summary>Stops following (leases released, drills left running for the next replica to resume).</summary>
    public async Task StopFollowingAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values.Select(r => r.Run)).ConfigureAwait(false);
    }

    /// <summary>Stops following. The token source and the gate are left to the collector: a request still in flight at shutdown may use them.</summary>
    public async ValueTask DisposeAsync() => await StopFollowingAsync().ConfigureAwait(false);

    private DrillFollower NewFollower(StoredDrill stored) => new(
        stored, Store, services.GetRequiredService<IKubernetes>(), routing.Value, options.Value.LeaseDuration, Identity, time, logger);

    private void Follow(DrillFollower follower)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Task.Run(async () =>
        {
            await started.Task.ConfigureAwait(false);
            try
            {
                var ended = await follower.RunAsync(_stopping.Token).ConfigureAwait(false);
                if (ended is { State: DrillState.Passed or DrillState.Failed or DrillState.Cancelled })
                {
                    services.GetService<ApiMetrics>()?.DrillCompleted(ended.State);
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

    private void EnsureEnabled()
    {
        if (!Enabled)
        {
            throw new ApiProblemException(
                StatusCodes.Status501NotImplemented,
                "Drills need Kubernetes",
                "Drills watch the node and its pods and are stored as ConfigMaps through the Kubernetes API; this API runs with Routing:Mode=Static.");
        }
    }

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

        var running = (await Store.ListAsync(runningOnly: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Drill.NodeName == drill.NodeName);
        if (running is not null)
        {
            throw DrillRunning(drill.NodeName, running.Drill.DrillId);
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
        var faults = await injector.InjectAsync(target, caller, $"drill-{drill.DrillId}", (faultId, nodeKey) => drill.Kind == "sxid"
            ? (c, o) => c.InjectSxidAsync(new InjectSxidRequest { FaultId = faultId ?? "", Sxid = drill.Code, Nvswitch = drill.Nvswitch ?? 0, Link = drill.Link ?? 0, Message = drill.Message ?? "", IdempotencyKey = nodeKey, Surfaces = { drill.Surfaces } }, o)
            : (c, o) => c.InjectXidAsync(new InjectXidRequest { FaultId = faultId ?? "", Xid = drill.Code, GpuId = drill.GpuId ?? 0, Message = drill.Message ?? "", IdempotencyKey = nodeKey, Surfaces = { drill.Surfaces } }, o),
            cancellationToken).ConfigureAwait(false);
        return faults[0];
    }

    private DrillRecord Validate(DrillBody body, string caller)
    {
        var errors = new RequestErrors();
        void Add(string field, string message) => errors.Add(field, message);

        ApiInputRules.NodeName(errors, "node_name", body.NodeName, required: true);
        ApiInputRules.Text(errors, "message", body.Message, ApiInputRules.MaxMessageLength);
        if ((body.Xid is null) == (body.Sxid is null))
        {
            Add("xid", "give exactly one of xid (with gpu_id) or sxid (with nvswitch and link)");
        }
        else if (body.Xid is not null)
        {
            ApiInputRules.Range(errors, "xid", body.Xid, 1, ApiInputRules.MaxXid, required: true);
            ApiInputRules.Range(errors, "gpu_id", body.GpuId, 0, ApiInputRules.MaxGpuId, required: false);
            if (body.NvSwitch is not null || body.Link is not null)
            {
                Add("nvswitch", "nvswitch and link go with sxid");
            }
        }
        else
        {
            ApiInputRules.Range(errors, "sxid", body.Sxid, 1, ApiInputRules.MaxSxid, required: true);
            ApiInputRules.Range(errors, "nvswitch", body.NvSwitch, 0, ApiInputRules.MaxNvSwitch, required: true);
            ApiInputRules.Range(errors, "link", body.Link, 0, ApiInputRules.MaxLink, required: true);
            if (body.GpuId is not null)
            {
                Add("gpu_id", "gpu_id goes with xid");
            }
        }

        var expectations = new List<DrillExpectation>();
        if (body.Expect is not { Count: > 0 })
        {
            Add("expect", "give at least one expectation: condition:<Type>, cordon, taint:<key>, drain[:<namespace>], reboot, recover");
        }
        else
        {
            for (var i = 0; i < body.Expect.Count; i++)
            {
                if (!DrillExpectation.TryParse(body.Expect[i], out var expectation, out var error))
                {
                    Add($"expect[{i}]", error);
                }
                else if (expectations.Any(e => e.Text == expectation.Text) || (expectation.Kind == DrillExpectationKind.Drain && expectations.Any(e => e.Kind == DrillExpectationKind.Drain)))
                {
                    Add($"expect[{i}]", $"'{expectation.Text}' is given twice");
                }
                else
                {
                    expectations.Add(expectation);
                }
            }

            if (expectations.Count > 0 && expectations.All(e => e.Kind == DrillExpectationKind.Recover))
            {
                Add("expect", "recover needs something to recover from: add condition:<Type>, cordon, taint:<key>, drain or reboot");
            }
        }

        SurfacesValidator.Check(errors, body.Surfaces, gpuFault: body.Sxid is null);

        var max = options.Value.MaxTimeout.TotalSeconds;
        var timeout = body.TimeoutSeconds ?? options.Value.DefaultTimeout.TotalSeconds;
        if (!double.IsFinite(timeout) || timeout <= 0 || timeout > max)
        {
            Add("timeout_seconds", $"must be more than 0 and at most {max.ToString(CultureInfo.InvariantCulture)} (Drills:MaxTimeout)");
        }

        errors.ThrowIfAny();

        var id = Guid.NewGuid().ToString("N")[..16];
        return new DrillRecord
        {
            DrillId = id,
            NodeName = body.NodeName!,
            Kind = body.Xid is not null ? "xid" : "sxid",
            Code = body.Xid ?? body.Sxid!.Value,
            GpuId = body.Xid is not null ? body.GpuId ?? 0 : null,
            Nvswitch = body.Sxid is not null ? body.NvSwitch : null,
            Link = body.Sxid is not null ? body.Link : null,
            Message = string.IsNullOrEmpty(body.Message) ? null : body.Message,
            Expect = [.. expectations.Select(e => e.Text)],
            Surfaces = body.Surfaces is { Count: > 0 } surfaces ? [.. surfaces] : ["kmsg"],
            Missing = [.. expectations.Select(e => e.Text)],
            TimeoutSeconds = timeout,
            Caller = caller,
            CreatedAt = time.GetUtcNow(),
            FaultId = $"drill-{id}",
        };
    }

    private static string CheckId(string drillId) =>
        drillId.Length == 16 && drillId.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c))
            ? drillId
            : throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid drill id", "drill_id: must be 16 lower-case hex digits. Nothing was done.", new Dictionary<string, string[]> { ["drill_id"] = ["must be 16 lower-case hex digits"] });

    private static ApiProblemException NotFound(string drillId) =>
        new(StatusCodes.Status404NotFound, "Unknown drill", $"There is no drill '{drillId}'.", extensions: new Dictionary<string, object?> { ["drill_id"] = drillId });

    private static ApiProblemException DrillRunning(string node, string drillId) =>
        new(StatusCodes.Status409Conflict, "Drill already running", $"Node '{node}' already has a running drill ({drillId}); cancel it or wait for its verdict.", extensions: new Dictionary<string, object?> { ["node_name"] = node, ["drill_id"] = drillId });
}
