using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Suites;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Suites;

/// <summary>
/// A suite whose first drill is cancelled from outside the suite (DELETE of the drill) while it runs: no further drill
/// starts, the pending ones end skipped "not started: &lt;the cancel's reason&gt;", and the suite ends cancelled with that
/// reason. The same whether the runner that saw the cancel ends the suite (the control) or another replica resumes the
/// suite after the first recorded the drill cancelled but lost its lease before its end landed: replica A's save of the
/// end is held in the fake Kubernetes API server until replica B took the suite over, then answered 409 (overtaken by
/// B's claim). Two real replicas, the cluster's real agent; no monitor (the drills would wait for a cordon).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class SuiteResumeAfterCancelTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    private static readonly string[] Cordon = ["cordon"];

    private readonly string _marker = $"rc-{Guid.NewGuid():N}"[..15];

    /// <param name="resumedByAnotherReplica">
    /// False: the control, replica A runs the suite to its end. True: replica A recorded the drill cancelled, then lost
    /// the suite to replica B before its end was saved; B resumes it (on main 1212aa2 B started the pending drills and
    /// ended the suite failed).
    /// </param>
    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_FirstDrillCancelledFromOutside_SuiteEndsCancelledWithItsReason_PendingSkipped_NoOtherDrillStarted(bool resumedByAnotherReplica)
    {
        var ns = resumedByAnotherReplica ? "suites-resume-cancel-b" : "suites-resume-cancel-a";
        await using var replicas = await TwoReplicas.StartAsync(cluster, ns);

        // Three drills, one at a time; the first waits (120 s) for a cordon nobody makes, the others would time out soon.
        var id = await StartOneAtATimeAsync(replicas, 120, 3, 3);
        var first = SuiteRunner.FixedDrillId(id, 0);
        var release = () => { };
        try
        {
            await Eventually.TrueAsync(() => cluster.InjectedAsync(first, replicas.ClientA), "the first drill to be injected");

            Task<V1ConfigMap>? endArrived = null;
            if (resumedByAnotherReplica)
            {
                // Replica A's save of the suite's end (its state label no longer running) is held.
                (endArrived, release) = SuiteHandover.HoldEndSave(cluster, id);
            }

            // Cancelled from outside the suite, through the other replica.
            using var cancel = await replicas.ClientB.DeleteAsync(new Uri($"/api/v1/drills/{first}?reason=outside+the+suite", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            var reason = (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString()!;
            Assert.Equal("cancelled by alice: outside the suite", reason);

            if (endArrived is not null)
            {
                await endArrived.WaitAsync(TimeSpan.FromSeconds(60));

                // A recorded the drill cancelled and the others pending, the suite still running; every replica reads it as ending.
                var recorded = await cluster.GetSuiteAsync(id, replicas.ClientB);
                Assert.Equal("running", recorded.GetProperty("state").GetString());
                Assert.Equal(["cancelled", "pending", "pending"], recorded.GetProperty("drills").EnumerateArray().Select(d => d.GetProperty("state").GetString()));
                Assert.StartsWith("ending, its record not yet saved: 1 of 3 drills ended and no other will start", recorded.GetProperty("reason").GetString(), StringComparison.Ordinal);

                // B takes the suite over (A's lease, renewed by its saves, expired; B's claim writes the record, and B may
                // end it at once), then A's held save lands on B's write: 409, A stops.
                await SuiteHandover.ReleaseOnceTakenOverAsync(cluster, ns, id, replicas.A, release);
            }

            var suite = await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(60), replicas.ClientB);
            var entries = suite.GetProperty("drills").EnumerateArray().ToList();
            Assert.True(suite.GetProperty("state").GetString() == "cancelled", suite.ToString());
            Assert.Equal(reason, suite.GetProperty("reason").GetString());
            Assert.Equal("cancelled", entries[0].GetProperty("state").GetString());
            Assert.Equal(reason, entries[0].GetProperty("reason").GetString());
            foreach (var entry in entries.Skip(1))
            {
                Assert.Equal("skipped", entry.GetProperty("state").GetString());
                Assert.Equal($"not started: {reason}", entry.GetProperty("reason").GetString());
            }

            // No drill record for entries 1 and 2 (a drill's record is stored before it injects), no injection of theirs on the node.
            foreach (var index in new[] { 1, 2 })
            {
                Assert.Null(cluster.Kube.GetConfigMap(ns, DrillStore.ObjectName(SuiteRunner.FixedDrillId(id, index))));
            }

            var lines = await replicas.FaultLinesAsync();
            Assert.True(
                lines.Count(l => l.EndsWith(Message(0), StringComparison.Ordinal)) == 1 && !lines.Any(l => l.EndsWith(Message(1), StringComparison.Ordinal) || l.EndsWith(Message(2), StringComparison.Ordinal)),
                $"injections on the node: {string.Join(" | ", lines)}");
        }
        finally
        {
            release();
            using var cancel = await replicas.ClientB.DeleteAsync(new Uri($"/api/v1/suites/{id}", UriKind.Relative));
        }
    }

    /// <summary>
    /// Replica A starts a suite's second drill (the first failed, stop_on_failure false) and its drill's record create is
    /// held in the fake Kubernetes API server; meanwhile the suite's record is written as a runner before e576327 left it:
    /// the first drill cancelled from outside the suite and the second still "starting" under its fixed id (that runner
    /// rebuilt no cancel when it resumed, so it went on to start the second), its lease long expired. Replica B takes the
    /// suite over: the drill's record is not stored yet, so B puts the entry back to pending and, the record stopping
    /// scheduling, starts nothing; B's save of the suite's end is held. Then A's create lands, A injects, its save finds
    /// the record taken over and it reads B's claim (entry "starting", a cancelled drill in the record): no runner follows
    /// A's drill, so A must cancel it and clear its fault. On main 0d921a8 (before 96d831d) A left it to B, which skipped
    /// the entry: the drill ran on, unwatched, its fault held.
    /// </summary>
    [RootFact]
    public async Task Start_TakenOverFromARecordThatStopsSchedulingBeforeTheDrillsRecordWasStored_OldHolderCancelsItsDrill_FaultCleared_SuiteCancelled()
    {
        const string ns = "suites-resume-cancel-follow";
        await using var replicas = await TwoReplicas.StartAsync(cluster, ns);
        var node = replicas.Node;

        // The first drill times out (nobody cordons), the second would wait two minutes for its cordon.
        var id = await StartOneAtATimeAsync(replicas, 3, 120);
        var second = SuiteRunner.FixedDrillId(id, 1);
        var (createArrived, releaseCreate) = cluster.Kube.HoldNextConfigMapCreate(m => m.Metadata.Name == DrillStore.ObjectName(second));
        var releaseEnd = () => { };
        try
        {
            await createArrived.WaitAsync(TimeSpan.FromSeconds(60));

            // B's save of the suite's end is held; the record is written as the older runner left it (its lease expired).
            (var endArrived, releaseEnd) = cluster.Kube.HoldNextConfigMapReplace(m => m.Metadata.Name == $"suite-{id}"
                && m.Metadata.Labels?.TryGetValue("fault-injection/suite-state", out var state) == true && state != "running");
            const string reason = "cancelled by alice: outside the suite";
            var store = replicas.B.Services.GetRequiredService<SuiteStore>();
            var stored = await store.GetAsync(id, CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal([SuiteState.Failed, SuiteState.Starting], stored.Suite.Drills.Select(d => d.State));
            stored.Suite.Drills[0].State = SuiteState.Cancelled;
            stored.Suite.Drills[0].Reason = reason;
            Assert.NotNull(await store.ReplaceAsync(stored, stored.Suite, "previous-version/00000000", DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5), CancellationToken.None));

            // B takes the suite over and ends it at once (held); then A's create lands.
            await endArrived.WaitAsync(TimeSpan.FromSeconds(60));
            releaseCreate();
            var suitesA = replicas.A.Services.GetRequiredService<SuiteService>();
            await Eventually.TrueAsync(() => !suitesA.Running.Contains(id), "replica A to stop running the suite");
            releaseEnd();

            var suite = await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(60), replicas.ClientB);
            var entries = suite.GetProperty("drills").EnumerateArray().ToList();
            Assert.True(suite.GetProperty("state").GetString() == "cancelled", suite.ToString());
            Assert.Equal(reason, suite.GetProperty("reason").GetString());
            Assert.Equal("skipped", entries[1].GetProperty("state").GetString());
            Assert.Equal($"not started: {reason}", entries[1].GetProperty("reason").GetString());

            // A's drill was started (stored, injected once) and is followed by nobody: cancelled, its fault cleared.
            var drill = await cluster.GetDrillAsync(second, replicas.ClientB);
            Assert.True(drill.GetProperty("state").GetString() == "cancelled", drill.ToString());
            Assert.Equal($"suite {id} starts no further drill ({reason}) and this drill started meanwhile", drill.GetProperty("reason").GetString());
            var lines = await replicas.FaultLinesAsync();
            Assert.True(lines.Count(l => l.EndsWith(Message(1), StringComparison.Ordinal)) == 1, $"injections on the node: {string.Join(" | ", lines)}");
            using var fault = await replicas.ClientB.GetAsync(new Uri($"/api/v1/faults/{drill.GetProperty("fault_id").GetString()}?node={node}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
            Assert.Equal("cleared", (await fault.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        }
        finally
        {
            releaseCreate();
            releaseEnd();
            using var cancel = await replicas.ClientB.DeleteAsync(new Uri($"/api/v1/suites/{id}", UriKind.Relative));
        }
    }

    /// <summary>
    /// Replica A's every write of the suite's record is refused (an admission webhook): A ends the suite failed naming the
    /// refusal, cancels its running drill with that reason, and keeps the end, which nothing could write; A then stops
    /// before the server takes writes again. Replica B resumes the record (still running, the drill running in it) and
    /// learns the cancel from the drill's record: that was the suite's own runner ending it, not a cancel from outside, so
    /// the suite ends failed with the refusal's reason as A had it, the pending drill skipped. On main 688585b B ended it
    /// cancelled.
    /// </summary>
    [RootFact]
    public async Task Run_RunnerEndedTheSuiteForARefusedSaveThenStoppedUnwritten_ResumedByAnotherReplica_EndsFailedWithTheRefusal()
    {
        const string ns = "suites-resume-refused";
        var replicas = await TwoReplicas.StartAsync(cluster, ns);
        await using var disposeReplicas = replicas;
        var id = await StartOneAtATimeAsync(replicas, 120, 3);
        var first = SuiteRunner.FixedDrillId(id, 0);
        try
        {
            await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(id, replicas.ClientA)).GetProperty("drills")[0].GetProperty("state").GetString() == "running", "the first drill to run");
            cluster.Kube.RefuseConfigMapWrites(m => m.Metadata.Name == $"suite-{id}" ? "admission webhook \"records.example\" denied the request: suites are frozen" : null);

            // A's next save (its lease renewal) is refused: A ends the suite failed, cancels the drill, writes nothing.
            var endedInA = await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(60), replicas.ClientA);
            Assert.True(endedInA.GetProperty("state").GetString() == "failed", endedInA.ToString());
            var refusal = endedInA.GetProperty("reason").GetString()!;
            Assert.StartsWith(SuiteRecordRefusedException.EndReason, refusal, StringComparison.Ordinal);
            Assert.Equal("cancelled", (await cluster.GetDrillAsync(first, replicas.ClientB)).GetProperty("state").GetString());
            var suitesA = replicas.A.Services.GetRequiredService<SuiteService>();
            await Eventually.TrueAsync(() => !suitesA.Running.Contains(id), "replica A's runner to end");

            // A stops with its end unwritten; then the server takes writes again and B resumes the record.
            await replicas.A.DisposeAsync();
            Assert.Equal("running", cluster.Kube.GetConfigMap(ns, $"suite-{id}")!.Metadata.Labels["fault-injection/suite-state"]);
            cluster.Kube.RefuseConfigMapWrites(null);

            var suite = await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(60), replicas.ClientB);
            var entries = suite.GetProperty("drills").EnumerateArray().ToList();
            Assert.True(suite.GetProperty("state").GetString() == "failed", suite.ToString());
            Assert.Equal(refusal, suite.GetProperty("reason").GetString());
            Assert.Equal("cancelled", entries[0].GetProperty("state").GetString());
            Assert.Equal("skipped", entries[1].GetProperty("state").GetString());
            Assert.Equal($"not started: {refusal}", entries[1].GetProperty("reason").GetString());
            Assert.Equal("failed", cluster.Kube.GetConfigMap(ns, $"suite-{id}")!.Metadata.Labels["fault-injection/suite-state"]);
            Assert.Null(cluster.Kube.GetConfigMap(ns, DrillStore.ObjectName(SuiteRunner.FixedDrillId(id, 1))));
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
            using var cancel = await replicas.ClientB.DeleteAsync(new Uri($"/api/v1/suites/{id}", UriKind.Relative));
        }
    }

    private string Message(int index) => $"{_marker}-{index}";

    /// <summary>Starts a suite through replica A: one drill per timeout on its node (xid 79 expecting a cordon, message <see cref="Message"/>), one at a time, stop_on_failure false.</summary>
    private Task<string> StartOneAtATimeAsync(TwoReplicas replicas, params int[] timeoutSeconds) => replicas.StartSuiteAsync(
        new
        {
            concurrency = 1,
            stop_on_failure = false,
            drills = timeoutSeconds.Select((timeout, index) => new { node_name = replicas.Node, xid = 79, message = Message(index), expect = Cordon, timeout_seconds = timeout }).ToArray(),
        });
}
