using FaultApi.Drills;
using FaultApi.Routing;
using FaultApi.Suites;
using FaultApi.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Storage;

/// <summary>
/// The leased record store drills and suites share, through the real KubernetesClient and the fake API server: the
/// names from the kind's noun, the lease, the claims of orphaned records, pruning, and records as the previous,
/// separate drill and suite stores wrote them.
/// </summary>
public sealed class LeasedRecordStoreTests : IAsyncLifetime, IDisposable
{
    private const string Namespace = "records-ns";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>A drill's JSON as the drill store wrote it before drills and suites shared one store.</summary>
    private const string PreviousDrillJson = "{\"drill_id\":\"0123456789abcdef\",\"node_name\":\"gpu-node-001\",\"kind\":\"xid\",\"code\":79,\"gpu_id\":0,\"nvswitch\":null,\"link\":null,\"message\":null,\"expect\":[\"cordon\"],\"surfaces\":[\"kmsg\"],\"timeout_seconds\":60,\"state\":\"running\",\"reason\":null,\"missing\":[\"cordon\"],\"caller\":\"alice\",\"suite_id\":\"fedcba9876543210\",\"created_at\":\"2026-12-02T09:59:00+00:00\",\"injected_at\":null,\"deadline\":null,\"ended_at\":null,\"fault_id\":null,\"line\":null,\"kernel_timestamp_us\":null,\"kernel_sequence\":null,\"baseline\":{\"boot_id\":\"\",\"pods\":[],\"taints\":[],\"conditions\":{}},\"steps\":[]}";

    /// <summary>A suite's JSON as the suite store wrote it before, up to its summary (which is computed from the drills).</summary>
    private const string PreviousSuiteJson = "{\"suite_id\":\"fedcba9876543210\",\"name\":\"smoke\",\"state\":\"running\",\"reason\":null,\"concurrency\":1,\"stop_on_failure\":false,\"caller\":\"alice\",\"created_at\":\"2026-12-02T09:59:00+00:00\",\"ended_at\":null,\"drills\":[{\"index\":0,\"name\":\"xid 79\",\"node_name\":\"gpu-node-001\",\"kind\":\"xid\",\"code\":79,\"gpu_id\":0,\"nvswitch\":null,\"link\":null,\"message\":null,\"surfaces\":null,\"expect\":[\"cordon\"],\"timeout_seconds\":null,\"state\":\"running\",\"drill_id\":\"0123456789abcdef\",\"fault_id\":null,\"reason\":null,\"missing\":[\"cordon\"],\"started_at\":\"2026-12-02T09:59:00+00:00\",\"injected_at\":null,\"ended_at\":null,\"line\":null,\"steps\":[]},{\"index\":1,\"name\":\"xid 48\",\"node_name\":\"gpu-node-002\",\"kind\":\"xid\",\"code\":48,\"gpu_id\":0,\"nvswitch\":null,\"link\":null,\"message\":null,\"surfaces\":null,\"expect\":[\"cordon\"],\"timeout_seconds\":null,\"state\":\"pending\",\"drill_id\":null,\"fault_id\":null,\"reason\":null,\"missing\":[\"cordon\"],\"started_at\":null,\"injected_at\":null,\"ended_at\":null,\"line\":null,\"steps\":[]}],\"events\":[]";
    private readonly TestDirectory _directory = new();
    private FakeKubeApiServer _kube = null!;
    private Kubernetes _client = null!;
    private TestLeasedRecordStore _store = null!;

    public async Task InitializeAsync()
    {
        _kube = await FakeKubeApiServer.StartAsync();
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_kube.WriteKubeconfig(_directory.Path)));
        _store = new TestLeasedRecordStore(KubernetesConnection.Over(_client), Routing());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _kube.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Create_RunningRecord_WritesTheKindsNamesLeaseAndJson()
    {
        var created = await _store.CreateAsync(Widget("w1", "blue"), "replica-a", Now, CancellationToken.None);

        var map = _kube.Get<V1ConfigMap>("ConfigMap", Namespace, "widget-w1")!;
        Assert.Equal(
            ["app.kubernetes.io/managed-by=fault-injection-api", "fault-injection/widget=true", "fault-injection/widget-state=running", "example.com/color=blue"],
            map.Metadata.Labels.Select(l => $"{l.Key}={l.Value}"));
        Assert.Equal(
            ["fault-injection/widget-holder=replica-a", "fault-injection/widget-lease-renewed=2026-12-02T10:00:00.0000000+00:00"],
            map.Metadata.Annotations.Select(a => $"{a.Key}={a.Value}"));
        Assert.Equal(["widget.json"], map.Data.Keys);
        Assert.Equal("{\"widget_id\":\"w1\",\"state\":\"running\",\"color\":\"blue\",\"created_at\":\"2026-12-02T10:00:00+00:00\",\"ended_at\":null}", map.Data["widget.json"]);
        Assert.Equal(("w1", "replica-a", Now), (created.Widget.WidgetId, created.Holder, created.RenewedAt));
    }

    [Fact]
    public async Task Replace_FinalRecord_DropsTheLeaseAndListLeavesItOutOfTheRunning()
    {
        var created = await _store.CreateAsync(Widget("w2", "red"), "replica-a", Now, CancellationToken.None);
        await _store.CreateAsync(Widget("w3", "red"), "replica-a", Now, CancellationToken.None);
        var ended = created.Widget;
        ended.State = "done";

        var replaced = await _store.ReplaceAsync(created, ended, "replica-a", Now, CancellationToken.None);
        var stale = await _store.ReplaceAsync(created, Widget("w2", "red"), "replica-b", Now, CancellationToken.None);

        Assert.NotNull(replaced);
        Assert.Null(replaced.Holder);
        Assert.Null(stale);
        Assert.Empty(_kube.Get<V1ConfigMap>("ConfigMap", Namespace, "widget-w2")!.Metadata.Annotations);
        Assert.Equal(["w3"], (await _store.ListAsync(runningOnly: true, CancellationToken.None)).Select(s => s.Widget.WidgetId));
        Assert.Equal(["w2", "w3"], (await _store.ListAsync(runningOnly: false, CancellationToken.None)).Select(s => s.Widget.WidgetId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResumeOrphaned_TwoReplicasAtOnce_EachExpiredOrReleasedRecordIsResumedOnce()
    {
        await _store.CreateAsync(Widget("expired", "red"), "replica-a", Now - Lease - TimeSpan.FromSeconds(1), CancellationToken.None);
        var released = await _store.CreateAsync(Widget("released", "red"), "replica-a", Now, CancellationToken.None);
        await _store.ReplaceAsync(released, released.Widget, null, Now, CancellationToken.None);
        await _store.CreateAsync(Widget("held", "red"), "replica-a", Now - TimeSpan.FromSeconds(5), CancellationToken.None);
        await _store.CreateAsync(Widget("followed-here", "red"), "replica-b", Now - Lease - TimeSpan.FromSeconds(1), CancellationToken.None);
        var other = new TestLeasedRecordStore(KubernetesConnection.Over(_client), Routing());
        var resumed = new List<(string Id, string? Holder, string? From, string By)>();
        var cResumed = 0;

        // Replica b lists first; replica c takes over everything it can while b resumes its first record, so b's
        // listing is stale for the rest. Replica b could not resume "released" even if it claimed it (answers false).
        var bResumed = await _store.ResumeOrphanedAsync("replica-b", Lease, Now, id => id == "followed-here", async (claimed, from, ct) =>
        {
            resumed.Add((claimed.Widget.WidgetId, claimed.Holder, from, "b"));
            if (resumed.Count == 1)
            {
                cResumed = await other.ResumeOrphanedAsync("replica-c", Lease, Now, _ => false, (c, f, _) =>
                {
                    resumed.Add((c.Widget.WidgetId, c.Holder, f, "c"));
                    return Task.FromResult(true);
                }, ct);
            }

            return claimed.Widget.WidgetId != "released";
        }, CancellationToken.None);

        var byId = resumed.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(["expired", "followed-here", "released"], byId.Select(r => r.Id));
        Assert.Equal(resumed.Count(r => r.By == "b" && r.Id != "released") + resumed.Count(r => r.By == "c"), bResumed + cResumed);
        Assert.Equal(("replica-c", "replica-b"), (byId[1].Holder, byId[1].From));
        foreach (var (id, holder, from, by) in byId)
        {
            Assert.Equal($"replica-{by}", holder);
            Assert.Equal(holder, (await _store.GetAsync(id, CancellationToken.None))!.Holder);
        }

        Assert.Equal(("replica-a", (string?)null), (byId[0].From, byId[2].From));
        Assert.Equal("replica-a", (await _store.GetAsync("held", CancellationToken.None))!.Holder);
    }

    [Fact]
    public async Task Prune_EndedPastRetentionOrBeyondMaxRecords_DeletesThoseAndNeverARunningOne()
    {
        await _store.CreateAsync(Widget("new", "red", endedAt: Now.AddMinutes(-1)), "x", Now, CancellationToken.None);
        await _store.CreateAsync(Widget("older", "red", endedAt: Now.AddMinutes(-2)), "x", Now, CancellationToken.None);
        await _store.CreateAsync(Widget("oldest", "red", endedAt: Now.AddMinutes(-3)), "x", Now, CancellationToken.None);
        await _store.CreateAsync(Widget("expired", "red", endedAt: Now.AddDays(-2)), "x", Now, CancellationToken.None);
        await _store.CreateAsync(WithCreated(Widget("running", "red"), Now.AddDays(-9)), "x", Now, CancellationToken.None);

        var told = new List<(int Pruned, int Kept)>();

        var pastRetention = await _store.PruneAsync(maxRecords: 10, retention: TimeSpan.FromDays(1), Now, (p, k) => told.Add((p, k)), CancellationToken.None);
        var beyondMax = await _store.PruneAsync(maxRecords: 2, retention: TimeSpan.FromDays(1), Now, (p, k) => told.Add((p, k)), CancellationToken.None);
        var none = await _store.PruneAsync(maxRecords: 2, retention: TimeSpan.FromDays(1), Now, (p, k) => told.Add((p, k)), CancellationToken.None);

        Assert.Equal((1, 1, 0), (pastRetention, beyondMax, none));
        Assert.Equal([(1, 3), (1, 2)], told);
        Assert.Equal(["new", "older", "running"], (await _store.ListAsync(runningOnly: false, CancellationToken.None)).Select(s => s.Widget.WidgetId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Replace_ConfigMapsAsTheSeparateDrillAndSuiteStoresWroteThem_AreReadAndWrittenBackTheSame()
    {
        // Written by the API before drills and suites shared one store (labels, annotations and JSON as they were).
        _kube.Upsert(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = "drill-0123456789abcdef",
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "fault-injection-api", ["fault-injection/drill"] = "true", ["fault-injection/drill-state"] = "running", ["fault-injection/node"] = "gpu-node-001" },
                Annotations = new Dictionary<string, string> { ["fault-injection/drill-holder"] = "api-0/1a2b3c4d", ["fault-injection/drill-lease-renewed"] = "2026-12-02T09:59:50.0000000+00:00" },
            },
            Data = new Dictionary<string, string> { ["drill.json"] = PreviousDrillJson },
        });
        _kube.Upsert(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = "suite-fedcba9876543210",
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "fault-injection-api", ["fault-injection/suite"] = "true", ["fault-injection/suite-state"] = "running" },
                Annotations = new Dictionary<string, string> { ["fault-injection/suite-holder"] = "api-0/1a2b3c4d", ["fault-injection/suite-lease-renewed"] = "2026-12-02T09:59:50.0000000+00:00" },
            },
            Data = new Dictionary<string, string> { ["suite.json"] = PreviousSuiteJson + ",\"summary\":[]}" },
        });
        var drills = new DrillStore(KubernetesConnection.Over(_client), Routing());
        var suites = new SuiteStore(KubernetesConnection.Over(_client), Routing());

        var drill = (await drills.GetAsync("0123456789abcdef", CancellationToken.None))!;
        var suite = (await suites.GetAsync("fedcba9876543210", CancellationToken.None))!;

        Assert.Equal(("gpu-node-001", "fedcba9876543210", "api-0/1a2b3c4d", false), (drill.Drill.NodeName, drill.Drill.SuiteId, drill.Holder, drill.Drill.IsFinal));
        Assert.False(drill.LeaseExpired(Now, Lease));
        Assert.Equal([SuiteState.Running, SuiteState.Pending], suite.Suite.Drills.Select(d => d.State));
        Assert.Equal(["fedcba9876543210"], (await suites.ListAsync(runningOnly: true, CancellationToken.None)).Select(s => s.Suite.SuiteId));
        Assert.Equal(["0123456789abcdef"], (await drills.ListAsync(runningOnly: true, CancellationToken.None)).Select(s => s.Drill.DrillId));

        Assert.NotNull(await drills.ReplaceAsync(drill, drill.Drill, "api-0/1a2b3c4d", Now, CancellationToken.None));
        Assert.NotNull(await suites.ReplaceAsync(suite, suite.Suite, "api-0/1a2b3c4d", Now, CancellationToken.None));
        var drillMap = _kube.Get<V1ConfigMap>("ConfigMap", Namespace, "drill-0123456789abcdef")!;
        var suiteMap = _kube.Get<V1ConfigMap>("ConfigMap", Namespace, "suite-fedcba9876543210")!;
        Assert.Equal(PreviousDrillJson, drillMap.Data["drill.json"]);
        Assert.StartsWith(PreviousSuiteJson + ",\"summary\":[", suiteMap.Data["suite.json"], StringComparison.Ordinal);
        Assert.Equal(
            ["app.kubernetes.io/managed-by=fault-injection-api", "fault-injection/drill=true", "fault-injection/drill-state=running", "fault-injection/node=gpu-node-001"],
            drillMap.Metadata.Labels.Select(l => $"{l.Key}={l.Value}"));
        Assert.Equal(
            ["app.kubernetes.io/managed-by=fault-injection-api", "fault-injection/suite=true", "fault-injection/suite-state=running"],
            suiteMap.Metadata.Labels.Select(l => $"{l.Key}={l.Value}"));
        Assert.Equal(
            ["fault-injection/suite-holder=api-0/1a2b3c4d", "fault-injection/suite-lease-renewed=2026-12-02T10:00:00.0000000+00:00"],
            suiteMap.Metadata.Annotations.Select(a => $"{a.Key}={a.Value}"));
    }

    [Fact]
    public async Task Get_RecordItCannotRead_FailsNamingTheConfigMap()
    {
        _kube.Upsert(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "drill-badbadbadbadbad0", NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { ["fault-injection/drill"] = "true" } },
            Data = new Dictionary<string, string> { ["drill.json"] = "{\"drill_id\":\"badbadbadbadbad0\",\"expect\":\"cordon\"}" },
        });
        var drills = new DrillStore(KubernetesConnection.Over(_client), Routing());

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => drills.GetAsync("badbadbadbadbad0", CancellationToken.None));

        Assert.Contains("ConfigMap drill-badbadbadbadbad0 holds a drill this API cannot read", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.expect", error.Message, StringComparison.Ordinal);
    }

    private static IOptions<RoutingOptions> Routing() => Options.Create(new RoutingOptions { Namespace = Namespace });

    private static TestLeasedRecord Widget(string id, string color, DateTimeOffset? endedAt = null) => new()
    {
        WidgetId = id,
        Color = color,
        State = endedAt is null ? "running" : "done",
        CreatedAt = Now,
        EndedAt = endedAt,
    };

    private static TestLeasedRecord WithCreated(TestLeasedRecord record, DateTimeOffset createdAt)
    {
        record.CreatedAt = createdAt;
        return record;
    }
}
