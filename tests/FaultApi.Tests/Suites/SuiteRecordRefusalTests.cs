using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Suites;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Suites;

/// <summary>
/// A suite whose record the Kubernetes API server refuses to save (422 Invalid from the fake server's
/// <see cref="FakeKubeApiServer.RefuseConfigMapWrites"/>: a record grown past a limit, or every write refused) ends:
/// failed, naming the refusal, its running drills cancelled and their faults cleared, the rest skipped; its end recorded
/// as large as the server takes it, else kept in the replica (a GET says how it ended) and written once the server takes it.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class SuiteRecordRefusalTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    /// <summary>40 expectations of about 40 characters: the <c>missing</c> lists a compacted record drops are larger than what a timed-out drill adds.</summary>
    private static readonly string[] ManyConditions =
        [.. Enumerable.Range(0, 40).Select(i => "condition:NeverReportedByAnyMonitor" + i.ToString("00", CultureInfo.InvariantCulture))];

    private static readonly string[] Cordon = ["cordon"];

    private readonly string _marker = $"refusal-{Guid.NewGuid():N}"[..20];

    [RootFact]
    public async Task Run_SaveRefusedAsTooLong_EndsFailedNamingTheRefusal_SkipsTheRest_AndRecordsACompactedEnd()
    {
        var node = await cluster.AddNodeAsync();
        var id = await StartAsync(new
        {
            drills = new object[]
            {
                new { name = "times out", node_name = node, xid = 79, message = _marker, expect = ManyConditions, timeout_seconds = 3 },
                new { name = "never starts", node_name = node, xid = 79, message = _marker, expect = ManyConditions, timeout_seconds = 120 },
            },
        });
        await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(id)).GetProperty("drills")[0].GetProperty("state").GetString() == "running", "the first drill to run");

        // From now on the server takes the record only as large as it is while the first drill runs (and a little more):
        // the first drill's verdict (its timeout naming 40 expectations) makes it larger.
        var limit = FakeKubeApiServer.DataBytes(Record(id)) + 64;
        cluster.Kube.RefuseConfigMapWrites(m => m.Metadata.Name == $"suite-{id}" && FakeKubeApiServer.DataBytes(m) > limit
            ? $"ConfigMap \"{m.Metadata.Name}\" is invalid: []: Too long: must have at most {limit} bytes"
            : null);
        try
        {
            var suite = await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(60));

            Assert.Equal("failed", suite.GetProperty("state").GetString());
            var reason = suite.GetProperty("reason").GetString()!;
            Assert.Contains("could not be saved", reason, StringComparison.Ordinal);
            Assert.Contains("422 Invalid", reason, StringComparison.Ordinal);
            Assert.Contains("Too long", reason, StringComparison.Ordinal);
            var drills = suite.GetProperty("drills");
            Assert.Equal("failed", drills[0].GetProperty("state").GetString());
            Assert.Equal("skipped", drills[1].GetProperty("state").GetString());
            Assert.StartsWith("not started: the suite's record could not be saved", drills[1].GetProperty("reason").GetString(), StringComparison.Ordinal);

            // The end is recorded: compacted, within the limit, saying so; the first drill's fault cleared, no other drill started.
            var map = Record(id);
            Assert.Equal("failed", map.Metadata.Labels["fault-injection/suite-state"]);
            Assert.True(FakeKubeApiServer.DataBytes(map) <= limit);
            Assert.Contains("recorded without its steps", reason, StringComparison.Ordinal);
            Assert.Empty(drills[0].GetProperty("steps").EnumerateArray());
            Assert.Equal("cleared", await FaultStateAsync(drills[0], node));
            Assert.Single(cluster.Kube.All<V1ConfigMap>("ConfigMap"), m => m.Metadata.Name.StartsWith("drill-", StringComparison.Ordinal) && m.Data["drill.json"].Contains(id, StringComparison.Ordinal));
            // Its runner leaves the running set just after the end it recorded (or kept) is visible: waited for, not raced.
            await Eventually.TrueAsync(() => !cluster.Api.Services.GetRequiredService<SuiteService>().Running.Contains(id), "the suite's runner to end");
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
        }
    }

    [RootFact]
    public async Task Run_EveryWriteOfTheRecordRefused_EndsFailedInTheReplica_CancelsTheRunningDrillAndClearsItsFault_ThenRecordsItOnceTaken()
    {
        var node = await cluster.AddNodeAsync();
        var id = await StartAsync(new { drills = new[] { new { node_name = node, xid = 79, message = _marker, expect = Cordon, timeout_seconds = 120 } } });
        await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(id)).GetProperty("drills")[0].GetProperty("state").GetString() == "running", "the drill to run");

        cluster.Kube.RefuseConfigMapWrites(m => m.Metadata.Name == $"suite-{id}" ? "admission webhook \"records.example\" denied the request: suites are frozen" : null);
        try
        {
            // The runner's next save (its lease renewal) is refused: the suite ends here, nothing of it written.
            var suite = await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(60));

            Assert.Equal("failed", suite.GetProperty("state").GetString());
            var reason = suite.GetProperty("reason").GetString()!;
            Assert.Contains("could not be saved", reason, StringComparison.Ordinal);
            Assert.Contains("422 Invalid: admission webhook", reason, StringComparison.Ordinal);
            var drill = suite.GetProperty("drills")[0];
            Assert.Equal("cancelled", drill.GetProperty("state").GetString());
            Assert.Equal("cancelled", (await cluster.GetDrillAsync(drill.GetProperty("drill_id").GetString()!)).GetProperty("state").GetString());
            Assert.Equal("cleared", await FaultStateAsync(drill, node));
            Assert.Equal("running", Record(id).Metadata.Labels["fault-injection/suite-state"]);
            // Its runner leaves the running set just after the end it recorded (or kept) is visible: waited for, not raced.
            await Eventually.TrueAsync(() => !cluster.Api.Services.GetRequiredService<SuiteService>().Running.Contains(id), "the suite's runner to end");
            using (var list = await cluster.Client.GetAsync(new Uri("/api/v1/suites", UriKind.Relative)))
            {
                var listed = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suites").EnumerateArray().Single(s => s.GetProperty("suite_id").GetString() == id);
                Assert.Equal("failed", listed.GetProperty("state").GetString());
            }

            // Once the server takes writes again, the end is recorded (the suites' round, every Drills:LeaseDuration).
            cluster.Kube.RefuseConfigMapWrites(null);
            await Eventually.TrueAsync(() => Record(id).Metadata.Labels["fault-injection/suite-state"] == "failed", "the suite's end recorded");
            Assert.Contains("could not be saved", Record(id).Data["suite.json"], StringComparison.Ordinal);
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
        }
    }

    /// <summary>
    /// The end nothing could write is kept by the replica that ran the suite; another replica reads the record, which
    /// still says running. It says running there, but no longer as if nothing happened: its reason says the suite is
    /// ending and its record not yet saved (its drill's record, written, says why), in its GET and in the list alike.
    /// </summary>
    [RootFact]
    public async Task GetAndList_OnAnotherReplica_SuiteEndedButNotRecorded_SayEndingAndRecordNotYetSaved()
    {
        var node = await cluster.AddNodeAsync();
        var id = await StartAsync(new { drills = new[] { new { node_name = node, xid = 79, message = _marker, expect = Cordon, timeout_seconds = 120 } } });
        await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(id)).GetProperty("drills")[0].GetProperty("state").GetString() == "running", "the drill to run");

        cluster.Kube.RefuseConfigMapWrites(m => m.Metadata.Name == $"suite-{id}" ? "admission webhook \"records.example\" denied the request: suites are frozen" : null);
        try
        {
            Assert.Equal("failed", (await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(60))).GetProperty("state").GetString());
            await using var other = cluster.NewApi();
            using var otherClient = other.CreateAuthenticatedClient();

            var seen = await cluster.GetSuiteAsync(id, otherClient);

            Assert.Equal("running", seen.GetProperty("state").GetString());
            var reason = seen.GetProperty("reason").GetString();
            Assert.StartsWith("ending, its record not yet saved: its runner ended it, the suite's record could not be saved: ", reason, StringComparison.Ordinal);
            Assert.Contains("422 Invalid: admission webhook", reason, StringComparison.Ordinal);
            var listed = await ListedAsync(id, otherClient);
            Assert.Equal("running", listed.GetProperty("state").GetString());
            Assert.Equal(reason, listed.GetProperty("reason").GetString());
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
        }

        await Eventually.TrueAsync(() => Record(id).Metadata.Labels["fault-injection/suite-state"] == "failed", "the suite's end recorded");
    }

    /// <summary>
    /// Refused at its very last save only — the one writing its end, every drill already ended — a suite's record still
    /// says running with every drill ended, and no drill carries the refusal. Another replica's GET and list say it is
    /// ending, its record not yet saved, as the replica that ran it answers its end; once a write is taken, the end.
    /// </summary>
    [RootFact]
    public async Task GetAndList_OnAnotherReplica_SuiteRefusedAtItsLastSave_SayEndingAndRecordNotYetSaved()
    {
        var node = await cluster.AddNodeAsync();

        // Every write of the suite's record that ends it (its state label no longer running) is refused: the drill's
        // verdict (its expectation never met within 2 s) is saved, the suite's end is not.
        var refused = "";
        cluster.Kube.RefuseConfigMapWrites(m => m.Metadata.Name == Volatile.Read(ref refused) && m.Metadata.Labels?["fault-injection/suite-state"] != "running"
            ? "admission webhook \"records.example\" denied the request: suites may not end" : null);
        try
        {
            var id = await StartAsync(new { drills = new[] { new { node_name = node, xid = 79, message = _marker, expect = Cordon, timeout_seconds = 2 } } });
            Volatile.Write(ref refused, $"suite-{id}");
            Assert.Equal("failed", (await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(60))).GetProperty("state").GetString());
            await Eventually.TrueAsync(() => !cluster.Api.Services.GetRequiredService<SuiteService>().Running.Contains(id), "the suite's runner to end");
            var stored = JsonDocument.Parse(Record(id).Data["suite.json"]).RootElement;
            Assert.Equal("running", stored.GetProperty("state").GetString());
            Assert.Equal("failed", stored.GetProperty("drills")[0].GetProperty("state").GetString());

            // The other replica only reads: its lease is far longer than the test, so it does not take the suite over
            // (a takeover ends it again there, its end refused in turn, and that replica then answers it as ended).
            await using var other = cluster.NewApi(settings: new Dictionary<string, string?> { ["Drills:LeaseDuration"] = "00:10:00" });
            using var otherClient = other.CreateAuthenticatedClient();

            var seen = await cluster.GetSuiteAsync(id, otherClient);
            var listed = await ListedAsync(id, otherClient);

            Assert.Equal("running", seen.GetProperty("state").GetString());
            Assert.Equal("ending, its record not yet saved: 1 of 1 drills ended and no other will start; the save of the suite's end has not landed (refused, or on its way)", seen.GetProperty("reason").GetString());
            Assert.Equal("running", listed.GetProperty("state").GetString());
            Assert.Equal(seen.GetProperty("reason").GetString(), listed.GetProperty("reason").GetString());

            cluster.Kube.RefuseConfigMapWrites(null);
            await Eventually.TrueAsync(() => Record(id).Metadata.Labels["fault-injection/suite-state"] == "failed", "the suite's end recorded");
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
        }
    }

    [RootFact]
    public async Task CancelAll_TheFirstSuitesCancelRefused_StillCancelsTheOthers_AndNamesTheRefusal()
    {
        var (refused, other) = await TwoRunningSuitesAsync();
        RefuseCancelsOf(refused);
        try
        {
            var outcomes = await cluster.Api.Services.GetRequiredService<SuiteService>().CancelAllAsync("cancel-all test", CancellationToken.None);

            // The suite after the refused one is cancelled all the same, its drill too.
            var cancelled = await cluster.GetSuiteAsync(other);
            Assert.Equal(("cancelled", "cancel-all test"), (cancelled.GetProperty("state").GetString(), cancelled.GetProperty("reason").GetString()));
            Assert.Equal("cancelled", (await cluster.GetDrillAsync(cancelled.GetProperty("drills")[0].GetProperty("drill_id").GetString()!)).GetProperty("state").GetString());
            Assert.Contains(outcomes, o => o.Kind == "suite" && o.Id == other && o.Cancelled && o.State == "cancelled" && o.Error is null);

            // The refused one is named with why; its drill was cancelled and its fault cleared regardless.
            var failed = Assert.Single(outcomes, o => o.Id == refused);
            Assert.False(failed.Cancelled);
            Assert.Contains("422 Invalid: admission webhook", failed.Error, StringComparison.Ordinal);
            var drill = (await cluster.GetSuiteAsync(refused)).GetProperty("drills")[0];
            Assert.Equal("cancelled", (await cluster.GetDrillAsync(drill.GetProperty("drill_id").GetString()!)).GetProperty("state").GetString());
            Assert.Equal("cleared", await FaultStateAsync(drill, drill.GetProperty("node_name").GetString()!));
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
        }
    }

    [RootFact]
    public async Task EmergencyStop_OneSuitesCancelRefused_Answers200AfterAttemptingEverySuite_NamingEachOutcome()
    {
        var (refused, other) = await TwoRunningSuitesAsync();
        RefuseCancelsOf(refused);
        try
        {
            using var stop = await cluster.Client.PostAsJsonAsync(new Uri("/api/v1/stop", UriKind.Relative), new { reason = "refusal drill" });
            var body = await stop.Content.ReadAsStringAsync();

            Assert.True(stop.StatusCode == HttpStatusCode.OK, body);
            var outcomes = JsonDocument.Parse(body).RootElement.GetProperty("cancellations").EnumerateArray().ToList();
            var suites = outcomes.Where(o => o.GetProperty("kind").GetString() == "suite").ToDictionary(o => o.GetProperty("id").GetString()!, StringComparer.Ordinal);
            if (suites.TryGetValue(other, out var cancelled))
            {
                Assert.True(cancelled.GetProperty("cancelled").GetBoolean() || cancelled.GetProperty("state").GetString() == "cancelled", body);
            }
            else
            {
                // The stop cancels the drills first: the other suite's runner may have ended it (cancelled, recorded) on its
                // drill's verdict before the suites were listed, and then it is no longer running to be attempted.
                Assert.Equal("cancelled", Record(other).Metadata.Labels["fault-injection/suite-state"]);
            }
            // The refused one's outcome names the refusal (whether the stop's drill cancel or its own cancel ended it first).
            Assert.True(suites.TryGetValue(refused, out var failed), body);
            Assert.Contains("422 Invalid: admission webhook", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Contains(outcomes, o => o.GetProperty("kind").GetString() == "drill");

            // By the time the stop answered, the other suite is cancelled (its record says so).
            Assert.Equal("cancelled", Record(other).Metadata.Labels["fault-injection/suite-state"]);
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
            using var release = await cluster.Client.DeleteAsync(new Uri("/api/v1/stop?reason=test%20over", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }
    }

    /// <summary>Two suites of one drill each (on their own nodes) running; the first is the one the cancels meet first (the store lists it first).</summary>
    private async Task<(string First, string Second)> TwoRunningSuitesAsync()
    {
        var ids = new List<string>();
        foreach (var node in new[] { await cluster.AddNodeAsync(), await cluster.AddNodeAsync() })
        {
            var id = await StartAsync(new { drills = new[] { new { node_name = node, xid = 79, message = _marker, expect = Cordon, timeout_seconds = 120 } } });
            await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(id)).GetProperty("drills")[0].GetProperty("state").GetString() == "running", "the drill to run");
            ids.Add(id);
        }

        var listed = (await cluster.KubeClient.CoreV1.ListNamespacedConfigMapAsync(DrillCluster.Namespace, labelSelector: "fault-injection/suite=true,fault-injection/suite-state=running"))
            .Items.Select(m => m.Metadata.Name["suite-".Length..]).Where(ids.Contains).ToList();
        Assert.Equal(2, listed.Count);
        return (listed[0], listed[1]);
    }

    /// <summary>Every write of the suite's record that says cancelled is refused, as an admission webhook would.</summary>
    private void RefuseCancelsOf(string id) =>
        cluster.Kube.RefuseConfigMapWrites(m => m.Metadata.Name == $"suite-{id}" && m.Metadata.Labels["fault-injection/suite-state"] == "cancelled"
            ? "admission webhook \"records.example\" denied the request: no cancels today"
            : null);

    private static async Task<JsonElement> ListedAsync(string id, HttpClient client)
    {
        using var list = await client.GetAsync(new Uri("/api/v1/suites", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        return (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suites").EnumerateArray().Single(s => s.GetProperty("suite_id").GetString() == id);
    }

    private V1ConfigMap Record(string id) => cluster.Kube.GetConfigMap(DrillCluster.Namespace, $"suite-{id}")!;

    private async Task<string> FaultStateAsync(JsonElement drill, string node)
    {
        using var fault = await cluster.Client.GetAsync(new Uri($"/api/v1/faults/{drill.GetProperty("fault_id").GetString()}?node={node}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
        return (await fault.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString()!;
    }

    private async Task<string> StartAsync(object body)
    {
        using var response = await cluster.Client.PostAsJsonAsync(new Uri("/api/v1/suites", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
    }
}
