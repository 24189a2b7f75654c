using System.Globalization;
using System.Text.RegularExpressions;
using FaultApi.BlastRadius;
using FaultApi.Drills;
using FaultApi.EmergencyStop;
using FaultApi.Faults;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Storage;
using FaultApi.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>
/// Starts suites (validate every drill, choose the nodes of <c>node_selector</c> drills, check the blast radius of the
/// whole suite and the emergency stop, record, then run in the background with <see cref="SuiteRunner"/>), reads them,
/// cancels them (running drills cancelled, faults cleared), and resumes suites whose lease expired. Built on
/// <see cref="DrillService"/>'s public operations. Needs Kubernetes routing: in static mode every suite route answers 501.
/// </summary>
public sealed partial class SuiteService(
    SuiteStore store,
    DrillStore drillStore,
    RunningSuites running,
    SuiteCancellation cancellation,
    IOptions<RoutingOptions> routing,
    IOptions<SuiteOptions> options,
    IOptions<DrillOptions> drillOptions,
    DrillService drills,
    AgentRouter router,
    BlastRadiusGuard guard,
    EmergencyStopCoordinator emergencyStop,
    SuiteFaultCleaner cleaner,
    TimeProvider time,
    ILogger<SuiteService> logger) : IAsyncDisposable
{
    public const int MaxNameLength = 63;
    public const int MaxDrillNameLength = 128;

    public bool Enabled => drills.Enabled;

    /// <summary>Suites this replica runs now.</summary>
    public IReadOnlyCollection<string> Running => running.Ids;

    /// <summary>Raised when a suite run here ends with a verdict (passed, failed).</summary>
    public event Action<SuiteRecord>? Ended;

    public async Task<SuiteRecord> StartAsync(SuiteBody body, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        EnsureEnabled();
        var id = Guid.NewGuid().ToString("N")[..16];
        var suite = Plan(body, caller, id);
        var nodes = suite.Drills.Select(d => d.NodeName).Distinct(StringComparer.Ordinal).ToList();

        // Nothing is started while the stop is engaged or when the whole suite would exceed the blast radius.
        await emergencyStop.RefreshAsync(cancellationToken).ConfigureAwait(false);
        emergencyStop.ThrowIfEngaged();
        await guard.CheckAllAsync(nodes, caller, $"suite-{id}", cancellationToken).ConfigureAwait(false);

        var stored = await store.CreateAsync(suite, drills.Identity, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        SuitesLog.Started(logger, id, suite.Name, suite.Drills.Count, nodes.Count, suite.Concurrency);
        Run(stored);
        return suite;
    }

    public async Task<StoredSuite> GetStoredAsync(string suiteId, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        return Known(await store.GetAsync(SuiteProblems.CheckId(suiteId), cancellationToken).ConfigureAwait(false) ?? throw SuiteProblems.NotFound(suiteId));
    }

    /// <summary>
    /// The suite; drills still running carry their timeline so far, read from their records (<see cref="Describe"/>).
    /// </summary>
    public async Task<SuiteRecord> GetAsync(string suiteId, CancellationToken cancellationToken)
    {
        var suite = (await GetStoredAsync(suiteId, cancellationToken).ConfigureAwait(false)).Suite;
        var drills = new Dictionary<string, DrillRecord>(StringComparer.Ordinal);
        foreach (var id in RunningDrillIds(suite))
        {
            if (await drillStore.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } drill)
            {
                drills[id] = drill.Drill;
            }
        }

        Describe(suite, drills);
        return suite;
    }

    /// <summary>Every suite, newest first, each as <see cref="GetAsync"/> answers it (the drill records read in one list when any suite has a drill running).</summary>
    public async Task<IReadOnlyList<SuiteRecord>> ListAsync(CancellationToken cancellationToken)
    {
        EnsureEnabled();
        var all = (await store.ListAsync(runningOnly: false, cancellationToken).ConfigureAwait(false)).Select(s => Known(s).Suite).ToList();
        var drills = new Dictionary<string, DrillRecord>(StringComparer.Ordinal);
        if (all.Any(s => RunningDrillIds(s).Any()))
        {
            foreach (var drill in await drillStore.ListAsync(runningOnly: false, cancellationToken).ConfigureAwait(false))
            {
                drills[drill.Drill.DrillId] = drill.Drill;
            }
        }

        foreach (var suite in all)
        {
            Describe(suite, drills);
        }

        return [.. all.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.SuiteId, StringComparer.Ordinal)];
    }

    /// <summary>Ends a running suite as cancelled (<see cref="SuiteCancellation.CancelAsync"/>).</summary>
    public Task<SuiteRecord> CancelAsync(string suiteId, string reason, CancellationToken cancellationToken) =>
        cancellation.CancelAsync(suiteId, reason, cancellationToken);

    /// <summary>Cancels every running suite in the cluster (<see cref="SuiteCancellation.CancelAllAsync"/>).</summary>
    public Task<IReadOnlyList<StopCancellationOutcome>> CancelAllAsync(string reason, CancellationToken cancellationToken) =>
        cancellation.CancelAllAsync(reason, cancellationToken);

    /// <summary>Takes over running suites nobody holds (their replica stopped, or its lease expired) and runs them here.</summary>
    public Task<int> ResumeOrphanedAsync(CancellationToken cancellationToken) => !Enabled || running.Stopping ? Task.FromResult(0) : store.ResumeOrphanedAsync(
        drills.Identity,
        drillOptions.Value.LeaseDuration,
        time.GetUtcNow(),
        running.Contains,
        (claimed, from, _) =>
        {
            SuitesLog.Resumed(logger, claimed.Suite.SuiteId, drills.Identity, from);
            Run(claimed);
            return Task.FromResult(true);
        },
        cancellationToken);

    /// <summary>
    /// Writes again the ends that ended here but could not be recorded (<see cref="RunningSuites.Unrecorded"/>), as large as
    /// the API server takes them (<see cref="SuiteEndRecording"/>); forgets those whose record ended or is gone meanwhile.
    /// Returns how many were recorded now.
    /// </summary>
    public async Task<int> RecordUnrecordedAsync(CancellationToken cancellationToken)
    {
        var recorded = 0;
        foreach (var ended in running.Unrecorded)
        {
            var stored = await store.GetAsync(ended.SuiteId, cancellationToken).ConfigureAwait(false);
            if (stored is null || stored.Suite.IsFinal)
            {
                running.Recorded(ended.SuiteId);
                continue;
            }

            var (version, _, _) = await SuiteEndRecording.WriteAsync(store, stored, ended, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (version is not null)
            {
                running.Recorded(ended.SuiteId);
                SuitesLog.EndRecordedLater(logger, ended.SuiteId, version);
                recorded++;
            }
        }

        return recorded;
    }

    /// <summary>Deletes the longest-ended finished suite records beyond <c>Suites:MaxRecords</c> and those past <c>Drills:RecordRetention</c>; running suites are never deleted.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken) => !Enabled ? Task.FromResult(0) : store.PruneAsync(
        options.Value.MaxRecords, drillOptions.Value.RecordRetention, time.GetUtcNow(), (pruned, kept) => SuitesLog.Pruned(logger, pruned, kept), cancellationToken);

    /// <summary>Stops running suites here (leases released, suites left running for the next replica to resume).</summary>
    public Task StopRunningAsync() => running.StopAllAsync();

    public async ValueTask DisposeAsync() => await StopRunningAsync().ConfigureAwait(false);

    private void Run(StoredSuite stored) =>
        running.Start(
            new SuiteRunner(stored, store, drills, drillStore, cleaner, routing.Value, drillOptions.Value.LeaseDuration, drillOptions.Value.DefaultTimeout, drills.Identity, time, logger),
            ended => Ended?.Invoke(ended));

    private SuiteRecord Plan(SuiteBody body, string caller, string id)
    {
        var errors = new RequestErrors();
        var settings = options.Value;
        var name = ApiInputRules.Text(errors, "name", body.Name, MaxNameLength);
        if (!string.IsNullOrEmpty(name) && !SuiteName().IsMatch(name))
        {
            errors.Add("name", $"must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit, at most {MaxNameLength}");
        }

        var concurrency = ApiInputRules.Range(errors, "concurrency", body.Concurrency, 1, settings.MaxConcurrency, required: false) ?? 1;
        var planned = new List<(string Prefix, SuiteDrillBody Drill, LabelSelector? Selector)>();
        var given = new List<(string Prefix, SuiteDrillBody? Drill)>();
        for (var i = 0; i < (body.Drills?.Count ?? 0); i++)
        {
            given.Add(($"drills[{i.ToString(CultureInfo.InvariantCulture)}]", body.Drills![i]));
        }

        if (body.FromProfile is { } fromProfile)
        {
            var generated = ExpectationProfiles.DrillsOf(errors, fromProfile);
            for (var i = 0; i < generated.Count; i++)
            {
                given.Add(($"from_profile.drills[{i.ToString(CultureInfo.InvariantCulture)}]", generated[i]));
            }
        }

        if (given.Count == 0 && body.FromProfile is null)
        {
            errors.Add("drills", "give at least one drill (or from_profile)");
        }
        else if (given.Count > settings.MaxDrills)
        {
            errors.Add("drills", $"at most {settings.MaxDrills.ToString(CultureInfo.InvariantCulture)} drills (Suites:MaxDrills); this suite has {given.Count.ToString(CultureInfo.InvariantCulture)}");
        }
        else
        {
            foreach (var (prefix, entry) in given)
            {
                if (entry is not { } drill)
                {
                    errors.Add(prefix, "must be a drill object");
                    continue;
                }

                ApiInputRules.Text(errors, $"{prefix}.name", drill.Name, MaxDrillNameLength);
                var selector = ApiInputRules.NodeSelector(errors, $"{prefix}.node_selector", drill.NodeSelector);
                ApiInputRules.Range(errors, $"{prefix}.count", drill.Count, 1, settings.MaxDrills, required: false);
                if (string.IsNullOrEmpty(drill.NodeName) == (drill.NodeSelector is null))
                {
                    errors.Add($"{prefix}.node_name", "give exactly one of node_name (one node) or node_selector (with count)");
                }
                else if (drill.NodeSelector is null && drill.Count is not null)
                {
                    errors.Add($"{prefix}.count", "goes with node_selector; node_name targets one node");
                }

                // The drill's own fields, checked as POST /api/v1/drills checks them (a selector drill with a stand-in node name).
                try
                {
                    drills.CheckBody(ToDrillBody(drill, drill.NodeName ?? "selector-node"));
                }
                catch (ApiProblemException problem) when (problem.Errors is not null)
                {
                    foreach (var (field, messages) in problem.Errors)
                    {
                        foreach (var message in messages)
                        {
                            errors.Add($"{prefix}.{field}", message);
                        }
                    }
                }

                planned.Add((prefix, drill, selector));
            }
        }

        errors.ThrowIfAny();

        // The nodes: a named node must be routable now (404 unknown, 503 without a ready agent); a selector picks count of the ready ones.
        var entries = new List<SuiteDrill>();
        foreach (var (prefix, drill, selector) in planned)
        {
            IReadOnlyList<string> nodes;
            if (selector is null)
            {
                nodes = [router.Resolve(drill.NodeName!).NodeName];
            }
            else
            {
                var count = drill.Count ?? 1;
                var matching = router.All().Where(a => selector.Matches(a.NodeLabels)).Select(a => a.NodeName).ToList();
                if (matching.Count < count)
                {
                    throw new ApiProblemException(
                        StatusCodes.Status409Conflict,
                        "Not enough matching nodes",
                        $"{prefix}: node_selector '{drill.NodeSelector}' matches {matching.Count} GPU node(s) with a ready agent; count is {count}. Nothing was started.",
                        new Dictionary<string, string[]> { [$"{prefix}.count"] = [$"only {matching.Count} GPU node(s) with a ready agent match node_selector"] },
                        new Dictionary<string, object?> { ["matching_nodes"] = matching });
                }

                nodes = [.. matching.OrderBy(n => IdempotencyKeys.Rank(id, n), StringComparer.Ordinal).Take(count)];
            }

            foreach (var node in nodes)
            {
                var request = ToDrillBody(drill, node);
                var label = string.IsNullOrWhiteSpace(drill.Name) ? (drill.Xid is not null ? $"xid {drill.Xid}" : $"sxid {drill.Sxid}") : drill.Name;
                entries.Add(new SuiteDrill
                {
                    Index = entries.Count,
                    Name = label,
                    NodeName = node,
                    Kind = request.Xid is not null ? "xid" : "sxid",
                    Code = request.Xid ?? request.Sxid!.Value,
                    GpuId = request.Xid is not null ? request.GpuId ?? 0 : null,
                    Nvswitch = request.NvSwitch,
                    Link = request.Link,
                    Message = request.Message,
                    Surfaces = request.Surfaces,
                    Expect = [.. request.Expect!],
                    TimeoutSeconds = request.TimeoutSeconds,
                    Missing = [.. request.Expect!],
                });
            }
        }

        if (entries.Count > settings.MaxDrills)
        {
            var tooMany = new RequestErrors();
            tooMany.Add("drills", $"the selectors expand to {entries.Count.ToString(CultureInfo.InvariantCulture)} drills; at most {settings.MaxDrills.ToString(CultureInfo.InvariantCulture)} (Suites:MaxDrills)");
            tooMany.ThrowIfAny();
        }

        var suite = new SuiteRecord
        {
            SuiteId = id,
            Name = string.IsNullOrEmpty(name) ? null : name,
            Concurrency = concurrency,
            StopOnFailure = body.StopOnFailure ?? false,
            Caller = caller,
            CreatedAt = time.GetUtcNow(),
            Drills = entries,
        };

        // Its record must stay within one ConfigMap while it runs (SuiteRecordBudget), or no save and no cancel could write it.
        var (plannedBytes, largest) = SuiteRecordBudget.Estimate(suite);
        if (largest > SuiteRecordBudget.MaxBytes)
        {
            var tooLarge = new RequestErrors();
            tooLarge.Add("drills", $"the suite's record could reach {largest.ToString(CultureInfo.InvariantCulture)} bytes ({Kib(largest)} KiB) while it runs ({plannedBytes.ToString(CultureInfo.InvariantCulture)} bytes as planned, {entries.Count.ToString(CultureInfo.InvariantCulture)} drills); it is one ConfigMap of at most {SuiteRecordBudget.MaxBytes.ToString(CultureInfo.InvariantCulture)} bytes ({Kib(SuiteRecordBudget.MaxBytes)} KiB): give fewer drills (a node_selector drill is stored once per node) or fewer expectations");
            tooLarge.ThrowIfAny();
        }

        return suite;
    }

    /// <summary>The ids of the drills <paramref name="suite"/> lists as running, while it runs.</summary>
    private static IEnumerable<string> RunningDrillIds(SuiteRecord suite) =>
        suite.IsFinal ? [] : suite.Drills.Where(d => d.State == SuiteState.Running && d.DrillId is not null).Select(d => d.DrillId!);

    /// <summary>
    /// A running suite as every replica answers it: its running drills' timelines so far from their records
    /// (<paramref name="drills"/>). A suite whose record says running but whose end is not yet saved says so in its reason
    /// wherever it is read (the replica that ran it keeps its end until a write succeeds): "ending, its record not yet
    /// saved", with why when a drill the record lists as running was cancelled for a refused save
    /// (<see cref="SuiteRecordRefusedException.EndReason"/>: its runner ended it; the drill's record, written, says so),
    /// or once no drill is left to run (every drill ended, or those left never start: <see cref="SuiteStop.EndedBy"/>, the
    /// rule its runner, and a runner resuming it, applies, whose reason it then names), when only the save of its end is
    /// missing (refused, or on its way).
    /// </summary>
    private static void Describe(SuiteRecord suite, Dictionary<string, DrillRecord> drills)
    {
        if (suite.IsFinal)
        {
            return;
        }

        foreach (var entry in suite.Drills.Where(d => d.State == SuiteState.Running && d.DrillId is not null))
        {
            if (drills.TryGetValue(entry.DrillId!, out var drill))
            {
                entry.TakeProgress(drill);
                if (suite.Reason is null && drill.IsFinal && SuiteRecordRefusedException.IsEndReason(drill.Reason))
                {
                    suite.Reason = $"ending, its record not yet saved: its runner ended it, {drill.Reason}; drill {drill.DrillId} {drill.State.JsonName()}";
                }
            }
        }

        var stop = SuiteStop.EndedBy(suite);
        var noneLeftToRun = !suite.Drills.Any(d => d.State is SuiteState.Starting or SuiteState.Running)
            && (!suite.Drills.Any(d => d.State == SuiteState.Pending) || stop is not null);
        if (suite.Reason is null && suite.Drills.Count > 0 && noneLeftToRun)
        {
            var ended = suite.Drills.Count(d => d.State.IsFinal());
            var why = stop is null ? "" : $" ({stop.Reason})";
            suite.Reason = $"ending, its record not yet saved: {ended} of {suite.Drills.Count} drills ended and no other will start{why}; the save of the suite's end has not landed (refused, or on its way)";
        }
    }

    /// <summary>The suite as stored, or as it ended here when its record still says running but no write could record its end.</summary>
    private StoredSuite Known(StoredSuite stored) =>
        !stored.Suite.IsFinal && running.TryGetUnrecorded(stored.Suite.SuiteId, out var ended, out _) ? new StoredSuite(ended, stored.ResourceVersion, null, null) : stored;

    private static string Kib(long bytes) => ((bytes + 1023) / 1024).ToString(CultureInfo.InvariantCulture);

    private static DrillBody ToDrillBody(SuiteDrillBody drill, string node) => new()
    {
        NodeName = node,
        GpuId = drill.GpuId,
        Xid = drill.Xid,
        Sxid = drill.Sxid,
        NvSwitch = drill.NvSwitch,
        Link = drill.Link,
        Message = drill.Message,
        Surfaces = drill.Surfaces,
        Expect = drill.Expect,
        TimeoutSeconds = drill.TimeoutSeconds,
    };

    private void EnsureEnabled()
    {
        if (!Enabled)
        {
            throw new ApiProblemException(
                StatusCodes.Status501NotImplemented,
                "Suites need Kubernetes",
                "Suites run drills, which watch nodes and pods and are stored as ConfigMaps through the Kubernetes API; this API runs with Routing:Mode=Static.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SuiteName();
}
