using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Problems;
using FaultApi.Suites;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Suites;

/// <summary>
/// A suite taken over by another API replica while one of its drills starts: the runner recorded the entry as
/// "starting" and its drill's record create is held in the Kubernetes API server (<see cref="FakeKubeApiServer.HoldNextConfigMapCreate"/>)
/// until the suite's lease expired and the second replica resumed the suite. Two real replicas, the cluster's real agent
/// and a stand-in monitor: the entry must end with the drill's verdict, the node injected once, one drill record,
/// whichever of the two creates reaches the server first.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class SuiteTakeoverTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    private static readonly string[] CordonAndRecover = ["cordon", "recover"];

    private readonly string _marker = $"takeover-{Guid.NewGuid():N}"[..21];

    /// <param name="firstHoldersCreateLandsFirst">
    /// True: replica A's create is stored first and A injects, then B's create reaches the server (on main 4ec9df8 B's
    /// start was refused 409 by A's running drill: the entry ended as an error). False: B's create is stored first and B
    /// injects, then A's.
    /// </param>
    [RootTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Resume_LeaseTakenOverWhileTheDrillsRecordIsBeingCreated_EntryEndsWithTheDrillsVerdict_OneInjectionOneRecord(bool firstHoldersCreateLandsFirst)
    {
        var ns = firstHoldersCreateLandsFirst ? "suites-takeover-a" : "suites-takeover-b";
        await using var replicas = await TwoReplicas.StartAsync(cluster, ns);
        var node = replicas.Node;
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Cordon | MonitorActions.Recover);

        var (arrivedA, releaseA) = cluster.Kube.HoldNextConfigMapCreate(replicas.DrillOnNode);
        Action releaseB = () => { };
        string? id = null;
        try
        {
            id = await replicas.StartSuiteAsync(new { drills = new[] { new { node_name = node, xid = 79, message = _marker, expect = CordonAndRecover, timeout_seconds = 120 } } });

            // Replica A recorded the entry "starting" and its drill's record create is held: A renews the suite's lease
            // no more, so replica B takes the suite over and starts the entry too (its create is held as well).
            var heldA = await arrivedA.WaitAsync(TimeSpan.FromSeconds(60));
            (var arrivedB, releaseB) = cluster.Kube.HoldNextConfigMapCreate(replicas.DrillOnNode);
            var suitesB = replicas.B.Services.GetRequiredService<SuiteService>();
            await Eventually.TrueAsync(() => suitesB.Running.Contains(id), "replica B to take the suite over");
            var heldB = await arrivedB.WaitAsync(TimeSpan.FromSeconds(60));

            // One replica's record is stored first (that replica goes on to inject), then the other's create reaches the server.
            var (first, firstHeld, second) = firstHoldersCreateLandsFirst ? (releaseA, heldA, releaseB) : (releaseB, heldB, releaseA);
            first();
            await Eventually.TrueAsync(() => cluster.Kube.GetConfigMap(ns, firstHeld.Metadata.Name) is not null, "the first drill record to be stored");
            second();

            var suite = await StandInMonitorWaits.WatchingAsync(cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(120), replicas.ClientB), [monitor]);
            var entry = suite.GetProperty("drills")[0];
            Assert.True(entry.GetProperty("state").GetString() == "passed", $"{suite}\n{StandInMonitorWaits.Account([monitor])}");
            Assert.Equal("passed", suite.GetProperty("state").GetString());
            Assert.Equal(["injected", "cordon", "recover"], entry.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));

            // One drill record, the entry's; one injection on the node.
            var records = cluster.Kube.All<V1ConfigMap>("ConfigMap").Where(m => m.Metadata.NamespaceProperty == ns && replicas.DrillOnNode(m)).ToList();
            Assert.True(records.Count == 1, $"{records.Count} drill records: {string.Join(", ", records.Select(m => m.Metadata.Name))}");
            Assert.Equal(DrillStore.ObjectName(entry.GetProperty("drill_id").GetString()!), records[0].Metadata.Name);
            var lines = await replicas.FaultLinesAsync();
            Assert.True(lines.Count(l => l.EndsWith(_marker, StringComparison.Ordinal)) == 1, $"injections on the node: {string.Join(" | ", lines)}");
        }
        finally
        {
            releaseA();
            releaseB();
            if (id is not null)
            {
                using var cancel = await replicas.ClientB.DeleteAsync(new Uri($"/api/v1/suites/{id}", UriKind.Relative));
            }
        }
    }

    /// <summary>
    /// Two starts of one suite entry's fixed drill id where the other start stores the record first and then deletes it
    /// again (its injection refused: nothing injected), between the runner's create answered AlreadyExists and its read of
    /// that id: the runner's start is "Drill start raced" (409). The interleaving is driven in the fake Kubernetes API
    /// server: the runner's create (replica A) is held; the other start (replica B's DrillService, the same suite and node,
    /// a GPU the node lacks so the agent refuses it) stores the record and is held at its next write; the runner's create
    /// lands (AlreadyExists) and its read is held; B goes on, is refused and deletes its record; the read answers 404. The
    /// race says nothing of the drill: the entry is started again under the same id (as a start that met "Routing not
    /// ready" is), runs once and ends with its verdict. Both replicas' leases are a minute, so neither takes anything over.
    /// </summary>
    [RootFact]
    public async Task Start_OtherStartOfTheFixedIdDeletedItsRecordBetweenAlreadyExistsAndTheRead_EntryStartedAgain_InjectedOnce_Passes()
    {
        const string ns = "suites-takeover-raced";
        var minuteLease = new Dictionary<string, string?> { ["Drills:LeaseDuration"] = "00:01:00" };
        await using var replicas = await TwoReplicas.StartAsync(cluster, ns, minuteLease);
        var node = replicas.Node;
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Cordon | MonitorActions.Recover);

        var (runnersCreate, releaseCreate) = cluster.Kube.HoldNextConfigMapCreate(replicas.DrillOnNode);
        var releaseOthersWrite = () => { };
        var releaseRead = () => { };
        string? id = null;
        try
        {
            id = await replicas.StartSuiteAsync(new { drills = new[] { new { node_name = node, xid = 79, message = _marker, expect = CordonAndRecover, timeout_seconds = 120 } } });
            var drillId = SuiteRunner.FixedDrillId(id, 0);
            var objectName = DrillStore.ObjectName(drillId);
            Assert.Equal(objectName, (await runnersCreate.WaitAsync(TimeSpan.FromSeconds(60))).Metadata.Name);

            // The other start stores the record and is held at its next write of it.
            (var othersWrite, releaseOthersWrite) = cluster.Kube.HoldNextConfigMapReplace(m => m.Metadata.Name == objectName);
            var other = replicas.B.Services.GetRequiredService<DrillService>().StartForSuiteAsync(
                new DrillBody { NodeName = node, Xid = 79, GpuId = 9, Message = $"{_marker}-other", Expect = ["cordon"], TimeoutSeconds = 120 }, "alice", id, drillId, CancellationToken.None);
            await othersWrite.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(cluster.Kube.GetConfigMap(ns, objectName));

            // The runner's create lands on it (AlreadyExists); its read of the id is held.
            (var runnersRead, releaseRead) = cluster.Kube.HoldNextConfigMapRead(ns, objectName);
            releaseCreate();
            await runnersRead.WaitAsync(TimeSpan.FromSeconds(60));

            // The other start goes on: the agent refuses it (no GPU 9), it deletes its record; then the runner reads.
            releaseOthersWrite();
            var refused = await Assert.ThrowsAsync<ApiProblemException>(() => other);
            Assert.True(refused.Status is >= 400 and < 500, $"{refused.Status} {refused.Title}: {refused.Message}");
            Assert.Null(cluster.Kube.GetConfigMap(ns, objectName));
            releaseRead();

            var suite = await StandInMonitorWaits.WatchingAsync(cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(120), replicas.ClientA), [monitor]);
            var entry = suite.GetProperty("drills")[0];
            Assert.True(entry.GetProperty("state").GetString() == "passed", $"{suite}\n{StandInMonitorWaits.Account([monitor])}");
            Assert.Equal("passed", suite.GetProperty("state").GetString());
            Assert.Equal(drillId, entry.GetProperty("drill_id").GetString());

            // One drill record, the entry's; one injection on the node, the entry's (none of the refused start's).
            var records = cluster.Kube.All<V1ConfigMap>("ConfigMap").Where(m => m.Metadata.NamespaceProperty == ns && replicas.DrillOnNode(m)).ToList();
            Assert.Equal(objectName, Assert.Single(records).Metadata.Name);
            var lines = await replicas.FaultLinesAsync();
            Assert.True(lines.Count(l => l.Contains(_marker, StringComparison.Ordinal)) == 1 && lines.Any(l => l.EndsWith(_marker, StringComparison.Ordinal)), $"injections on the node: {string.Join(" | ", lines)}");
        }
        finally
        {
            releaseCreate();
            releaseOthersWrite();
            releaseRead();
            if (id is not null)
            {
                using var cancel = await replicas.ClientA.DeleteAsync(new Uri($"/api/v1/suites/{id}", UriKind.Relative));
            }
        }
    }

    /// <summary>
    /// A suite written by the version before fixed drill ids: its entry "starting" carries no drill id, and its drill
    /// (started under an id of its own, carrying the suite's id) runs. The replica that takes the suite over finds the
    /// drill as that version did, by the suite's id and the node, and follows it: one drill, its verdict in the entry.
    /// </summary>
    [RootFact]
    public async Task Resume_EntryStartingWithoutADrillIdFromThePreviousVersion_FollowsTheDrillCarryingTheSuitesId()
    {
        const string ns = "suites-takeover-previous";
        await using var replica = cluster.NewApi(ns);
        using var client = replica.CreateAuthenticatedClient();
        await Eventually.TrueAsync(async () => (await client.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "the replica");
        var node = await cluster.AddNodeAsync(ns: ns, api: replica);
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Cordon | MonitorActions.Recover, waitForGo: true);

        // The suite's record as the previous version saved it before its drill's start, its lease held by a replica
        // that stops renewing it; then that drill, stored under an id of its own.
        var suiteId = Guid.NewGuid().ToString("N")[..16];
        var entry = new SuiteDrill
        {
            Index = 0,
            Name = "xid 79",
            NodeName = node,
            Kind = "xid",
            Code = 79,
            GpuId = 0,
            Message = _marker,
            Expect = CordonAndRecover,
            TimeoutSeconds = 120,
            Missing = CordonAndRecover,
            State = SuiteState.Starting,
            StartedAt = DateTimeOffset.UtcNow,
        };
        var record = new SuiteRecord { SuiteId = suiteId, Caller = "alice", CreatedAt = DateTimeOffset.UtcNow, Drills = [entry] };
        await replica.Services.GetRequiredService<SuiteStore>().CreateAsync(record, "previous-version/00000000", DateTimeOffset.UtcNow, CancellationToken.None);
        var ownId = Guid.NewGuid().ToString("N")[..16];
        var (started, adopted) = await replica.Services.GetRequiredService<DrillService>().StartForSuiteAsync(entry.ToDrillBody(), "alice", suiteId, ownId, CancellationToken.None);
        Assert.False(adopted);
        Assert.NotEqual(SuiteRunner.FixedDrillId(suiteId, 0), ownId);
        try
        {
            // Once the replica took the suite over (the old lease expired), its drill still running, the monitor reacts.
            var suites = replica.Services.GetRequiredService<SuiteService>();
            await Eventually.TrueAsync(() => suites.Running.Contains(suiteId), "the replica to take the suite over");
            await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(suiteId, client)).GetProperty("drills")[0].GetProperty("state").GetString() != "starting", "the entry to leave starting");
            monitor.Go();
            var suite = await StandInMonitorWaits.WatchingAsync(cluster.WaitForSuiteVerdictAsync(suiteId, TimeSpan.FromSeconds(120), client), [monitor]);
            var drill = suite.GetProperty("drills")[0];
            Assert.True(drill.GetProperty("state").GetString() == "passed", $"{suite}\n{StandInMonitorWaits.Account([monitor])}");
            Assert.Equal(started.DrillId, drill.GetProperty("drill_id").GetString());
            var records = cluster.Kube.All<V1ConfigMap>("ConfigMap").Where(m => m.Metadata.NamespaceProperty == ns && m.Metadata.Labels?.ContainsKey(DrillStore.DrillLabel) == true).ToList();
            Assert.Equal(DrillStore.ObjectName(ownId), Assert.Single(records).Metadata.Name);
        }
        finally
        {
            using var cancel = await client.DeleteAsync(new Uri($"/api/v1/suites/{suiteId}", UriKind.Relative));
        }
    }
}
