#pragma warning disable CA1861 // Expectations inline read as the request a person sends.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Routing;
using FaultApi.Suites;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Suites;

/// <summary>
/// Suites end to end on the drills' cluster (fake Kubernetes API server, one real agent writing the machine's
/// /dev/kmsg, stand-in NVSentinels reacting through the Kubernetes API): several drills across nodes with a concurrency
/// limit, a verdict per drill and for the suite, faults cleared, refusals before anything is injected, cancel, the
/// emergency stop, the event stream with Last-Event-ID, and resume by a restarted API.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class SuiteTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    private static readonly string[] Remediation = ["condition:SysLogsXIDError", "cordon", "recover"];

    private readonly string _marker = $"suite-test-{Guid.NewGuid():N}"[..22];

    [RootFact]
    public async Task Suite_SixDrillsOnThreeNodesOneExpectationNeverMet_FailsNamingItAndClearsEveryFault()
    {
        var nodes = new[] { await cluster.AddNodeAsync(), await cluster.AddNodeAsync(), await cluster.AddNodeAsync() };
        var monitors = new List<StandInHealthMonitor>();
        var drills = new List<object>();
        for (var i = 0; i < 6; i++)
        {
            var marker = $"{_marker}-{i}";
            monitors.Add(StandInHealthMonitor.Start(cluster.KubeClient, nodes[i % 3], marker, MonitorActions.Condition | MonitorActions.Cordon | MonitorActions.Recover));
            drills.Add(new
            {
                name = i == 4 ? "xid 48 expects a taint" : $"xid 79 #{i}",
                node_name = nodes[i % 3],
                xid = i == 4 ? 48 : 79,
                gpu_id = i % 2,
                message = $"drill {marker}",
                expect = i == 4 ? ["condition:SysLogsXIDError", "cordon", "taint:nvidia.com/gpu-xid"] : Remediation,
                timeout_seconds = i == 4 ? 8 : 60,
            });
        }

        try
        {
            using var response = await StartAsync(new { name = "nvsentinel-smoke", concurrency = 3, drills });

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var started = await response.Content.ReadFromJsonAsync<JsonElement>();
            var id = started.GetProperty("suite_id").GetString()!;
            Assert.Equal($"/api/v1/suites/{id}", response.Headers.Location?.OriginalString);
            Assert.Equal("running", started.GetProperty("state").GetString());
            Assert.Equal(6, started.GetProperty("drills").GetArrayLength());

            var suite = await StandInMonitorWaits.WatchingAsync(cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(120)), monitors);
            Assert.True(suite.GetProperty("state").GetString() == "failed", $"{suite}\n{StandInMonitorWaits.Account(monitors)}");
            var entries = suite.GetProperty("drills").EnumerateArray().ToList();
            Assert.Equal(["passed", "passed", "passed", "passed", "failed", "passed"], entries.Select(e => e.GetProperty("state").GetString()));
            var failed = entries[4];
            Assert.Equal(["taint:nvidia.com/gpu-xid"], failed.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
            Assert.Contains("taint:nvidia.com/gpu-xid", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Contains($"xid 48 expects a taint on {nodes[1]} failed", suite.GetProperty("reason").GetString(), StringComparison.Ordinal);

            // Every drill's timeline is in the suite: injected first, then each remediation step.
            foreach (var entry in entries)
            {
                var steps = entry.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()).ToList();
                Assert.Equal("injected", steps[0]);
                Assert.Contains("cordon", steps);
                Assert.Equal(entry.GetProperty("index").GetInt32() != 4, steps.Contains("recover"));
                Assert.Contains($"NVRM: Xid (PCI:", entry.GetProperty("line").GetString(), StringComparison.Ordinal);
            }

            // Never two drills on one node at once, never more than three at once.
            var spans = entries.Select(e => (Node: e.GetProperty("node_name").GetString(), From: e.GetProperty("started_at").GetDateTimeOffset(), To: e.GetProperty("ended_at").GetDateTimeOffset())).ToList();
            foreach (var a in spans)
            {
                Assert.DoesNotContain(spans, b => b != a && b.Node == a.Node && b.From < a.To && a.From < b.To);
                Assert.True(spans.Count(b => b.From <= a.From && a.From < b.To) <= 3);
            }

            // Each drill's record names its suite, and its fault was cleared when its verdict was in.
            foreach (var entry in entries)
            {
                var drill = await cluster.GetDrillAsync(entry.GetProperty("drill_id").GetString()!);
                Assert.Equal(id, drill.GetProperty("suite_id").GetString());
                using var fault = await cluster.Client.GetAsync(new Uri($"/api/v1/faults/{entry.GetProperty("fault_id").GetString()}?node={entry.GetProperty("node_name").GetString()}", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
                Assert.Equal("cleared", (await fault.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
            }

            // The summary per expectation, and the JUnit report: valid against the schema, the failing testcase naming what never came.
            var summary = suite.GetProperty("summary").EnumerateArray().ToDictionary(s => s.GetProperty("expectation").GetString()!, StringComparer.Ordinal);
            Assert.Equal((6, 6), (summary["cordon"].GetProperty("passed").GetInt32(), summary["cordon"].GetProperty("total").GetInt32()));
            Assert.Equal((5, 5), (summary["recover"].GetProperty("passed").GetInt32(), summary["recover"].GetProperty("total").GetInt32()));
            Assert.Equal("taint:nvidia.com/gpu-xid: 0/1", summary["taint:nvidia.com/gpu-xid"].GetProperty("text").GetString());
            Assert.StartsWith("cordon: 6/6, p50 ", summary["cordon"].GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.True(summary["cordon"].GetProperty("p50_seconds").GetDouble() <= summary["cordon"].GetProperty("p95_seconds").GetDouble());
            using var junit = await cluster.Client.GetAsync(new Uri($"/api/v1/suites/{id}/junit", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, junit.StatusCode);
            Assert.Equal("application/xml", junit.Content.Headers.ContentType?.MediaType);
            var report = SuiteReportTests.ValidJUnit(await junit.Content.ReadAsStringAsync()).Root!;
            Assert.Equal(("nvsentinel-smoke", "6", "1"), ((string)report.Attribute("name")!, (string)report.Attribute("tests")!, (string)report.Attribute("failures")!));
            var failing = Assert.Single(report.Elements("testcase"), c => c.Element("failure") is not null);
            Assert.Equal($"xid 48 expects a taint on {nodes[1]}", (string)failing.Attribute("name")!);
            Assert.StartsWith("never observed: taint:nvidia.com/gpu-xid; last state seen: ", (string)failing.Element("failure")!.Attribute("message")!, StringComparison.Ordinal);

            // Stored as a labelled ConfigMap beside the drills; listed.
            var map = cluster.Kube.Get<V1ConfigMap>("ConfigMap", DrillCluster.Namespace, $"suite-{id}")!;
            Assert.Equal("true", map.Metadata.Labels["fault-injection/suite"]);
            Assert.Equal("failed", map.Metadata.Labels["fault-injection/suite-state"]);
            using var list = await cluster.Client.GetAsync(new Uri("/api/v1/suites", UriKind.Relative));
            Assert.Contains((await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suites").EnumerateArray(), s => s.GetProperty("suite_id").GetString() == id);
        }
        finally
        {
            foreach (var monitor in monitors)
            {
                await monitor.DisposeAsync();
            }
        }
    }

    [RootFact]
    public async Task Start_BadBody_Returns400WithFieldErrorsAndStartsNothing()
    {
        var node = await cluster.AddNodeAsync();
        var before = cluster.Kube.All<V1ConfigMap>("ConfigMap").Count(m => m.Metadata.Name.StartsWith("suite-", StringComparison.Ordinal) || m.Metadata.Name.StartsWith("drill-", StringComparison.Ordinal));

        using var response = await StartAsync(new
        {
            name = "bad name!",
            concurrency = 0,
            drills = new object?[]
            {
                new { node_name = node, xid = 79, expect = new[] { "cordon" } },
                new { node_name = node, node_selector = "gpu=true", xid = 79, expect = new[] { "cordon" } },
                new { node_name = node, xid = 79, expect = new[] { "explode" }, timeout_seconds = 1e9 },
                new { node_selector = "a in (", count = 2, sxid = 12 },
                null,
            },
        });

        _ = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["name", "concurrency", "drills[1].node_name", "drills[2].expect[0]", "drills[2].timeout_seconds", "drills[3].node_selector", "drills[3].expect", "drills[3].nvswitch", "drills[4]"], StringComparer.Ordinal), fields);
        Assert.DoesNotContain(fields, f => f.StartsWith("drills[0]", StringComparison.Ordinal));
        Assert.Equal(before, cluster.Kube.All<V1ConfigMap>("ConfigMap").Count(m => m.Metadata.Name.StartsWith("suite-", StringComparison.Ordinal) || m.Metadata.Name.StartsWith("drill-", StringComparison.Ordinal)));

        using var empty = await StartAsync(new { drills = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("drills", out _));

        using var unknownNode = await StartAsync(new { drills = new[] { new { node_name = "no-such-node", xid = 79, expect = new[] { "cordon" } } } });
        Assert.Equal(HttpStatusCode.NotFound, unknownNode.StatusCode);

        using var tooFew = await StartAsync(new { drills = new[] { new { node_selector = "suite-test=absent", count = 2, xid = 79, expect = new[] { "cordon" } } } });
        Assert.Equal(HttpStatusCode.Conflict, tooFew.StatusCode);
        Assert.True((await tooFew.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("drills[0].count", out _));

        using var unknown = await cluster.Client.GetAsync(new Uri("/api/v1/suites/0123456789abcdef", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var bad = await cluster.Client.GetAsync(new Uri("/api/v1/suites/not-an-id", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(before, cluster.Kube.All<V1ConfigMap>("ConfigMap").Count(m => m.Metadata.Name.StartsWith("suite-", StringComparison.Ordinal) || m.Metadata.Name.StartsWith("drill-", StringComparison.Ordinal)));
    }

    [RootFact]
    public async Task Start_SuiteBeyondTheBlastRadius_Returns409NamingTheLimitBeforeInjecting()
    {
        await using var api = cluster.NewApi(settings: new Dictionary<string, string?> { ["Safety:MaxFaultedNodes"] = "1" });
        using var client = api.CreateAuthenticatedClient();
        var first = await cluster.AddNodeAsync(api: api);
        var second = await cluster.AddNodeAsync(api: api);
        var kmsgBefore = cluster.Kube.All<V1ConfigMap>("ConfigMap").Count(m => m.Metadata.Name.StartsWith("drill-", StringComparison.Ordinal));

        using var response = await StartAsync(
            new { drills = new[] { new { node_name = first, xid = 79, expect = new[] { "cordon" } }, new { node_name = second, xid = 79, expect = new[] { "cordon" } } } },
            client);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Blast radius exceeded", problem.GetProperty("title").GetString());
        Assert.Contains("Safety:MaxFaultedNodes 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, problem.GetProperty("limit").GetInt32());
        Assert.DoesNotContain(cluster.Kube.All<V1ConfigMap>("ConfigMap"), m => m.Metadata.Name.StartsWith("suite-", StringComparison.Ordinal) && m.Data["suite.json"].Contains(first, StringComparison.Ordinal));
        Assert.Equal(kmsgBefore, cluster.Kube.All<V1ConfigMap>("ConfigMap").Count(m => m.Metadata.Name.StartsWith("drill-", StringComparison.Ordinal)));
    }

    [RootFact]
    public async Task Cancel_RunningSuite_CancelsItsDrillSkipsTheRestAndClearsTheFault()
    {
        var node = await cluster.AddNodeAsync();
        using var response = await StartAsync(new
        {
            drills = new[]
            {
                new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 120 },
                new { node_name = node, xid = 48, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 120 },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
        await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(id)).GetProperty("drills")[0].GetProperty("state").GetString() == "running", "the first drill to run");

        using var cancel = await cluster.Client.DeleteAsync(new Uri($"/api/v1/suites/{id}?reason=rehearsal%20over", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var suite = await cancel.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", suite.GetProperty("state").GetString());
        Assert.Equal("cancelled by alice: rehearsal over", suite.GetProperty("reason").GetString());
        var first = suite.GetProperty("drills")[0];
        Assert.Equal("cancelled", first.GetProperty("state").GetString());
        Assert.Equal("skipped", suite.GetProperty("drills")[1].GetProperty("state").GetString());
        Assert.Equal("cancelled", (await cluster.GetDrillAsync(first.GetProperty("drill_id").GetString()!)).GetProperty("state").GetString());
        using var fault = await cluster.Client.GetAsync(new Uri($"/api/v1/faults/{first.GetProperty("fault_id").GetString()}?node={node}", UriKind.Relative));
        Assert.Equal("cleared", (await fault.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.DoesNotContain(id, cluster.Api.Services.GetRequiredService<SuiteService>().Running);

        // Nothing starts afterwards, and a second cancel returns the suite as it is.
        Assert.Single(cluster.Kube.All<V1ConfigMap>("ConfigMap"), m => m.Metadata.Name.StartsWith("drill-", StringComparison.Ordinal) && m.Data["drill.json"].Contains(id, StringComparison.Ordinal));
        using var again = await cluster.Client.DeleteAsync(new Uri($"/api/v1/suites/{id}", UriKind.Relative));
        Assert.Equal("cancelled by alice: rehearsal over", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [RootFact]
    public async Task EmergencyStop_Engaged_CancelsTheRunningSuite()
    {
        var node = await cluster.AddNodeAsync();
        using var response = await StartAsync(new { drills = new[] { new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 120 } } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
        await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(id)).GetProperty("drills")[0].GetProperty("state").GetString() == "running", "the drill to run");
        try
        {
            using var stop = await cluster.Client.PostAsJsonAsync(new Uri("/api/v1/stop", UriKind.Relative), new { reason = "rehearsal halted" });
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);

            await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(id)).GetProperty("state").GetString() == "cancelled", "the suite cancelled by the stop");
            var suite = await cluster.GetSuiteAsync(id);
            Assert.StartsWith("emergency stop by alice", suite.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal("cancelled", suite.GetProperty("drills")[0].GetProperty("state").GetString());

            // While the stop is engaged no suite starts.
            using var refused = await StartAsync(new { drills = new[] { new { node_name = node, xid = 79, expect = new[] { "cordon" } } } });
            Assert.Equal(HttpStatusCode.Locked, refused.StatusCode);
        }
        finally
        {
            using var release = await cluster.Client.DeleteAsync(new Uri("/api/v1/stop?reason=test%20over", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }
    }

    [RootFact]
    public async Task Events_StreamReplaysAfterLastEventIdThenEndsWithTheVerdict()
    {
        var node = await cluster.AddNodeAsync();
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Cordon, waitForGo: true);
        using var response = await StartAsync(new { name = "events", drills = new[] { new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 60 } } });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/suites/{id}/events", UriKind.Relative));
        using var stream = await cluster.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var startedEvent = await ServerSentEvents.ReadAsync(reader, timeout.Token);
        Assert.Equal(("drill_started", "0"), (startedEvent.Name, startedEvent.Id));
        await monitor.WatchingAsync(monitor.Detected.Task.WaitAsync(timeout.Token));
        monitor.Go();
        var ended = await ServerSentEvents.ReadAsync(reader, timeout.Token);
        var suiteEnded = await ServerSentEvents.ReadAsync(reader, timeout.Token);
        var verdict = await ServerSentEvents.ReadAsync(reader, timeout.Token);
        Assert.Equal(("drill_ended", "1", "passed"), (ended.Name, ended.Id, ended.Data.GetProperty("state").GetString()));
        Assert.Equal(("suite_ended", "2"), (suiteEnded.Name, suiteEnded.Id));
        Assert.Equal("verdict", verdict.Name);
        Assert.Equal("passed", verdict.Data.GetProperty("state").GetString());
        Assert.Null(await reader.ReadLineAsync(timeout.Token));

        // A client that reconnects with Last-Event-ID gets only what came after it.
        using var resumed = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/suites/{id}/events", UriKind.Relative));
        resumed.Headers.Add("Last-Event-ID", "1");
        using var replay = await cluster.Client.SendAsync(resumed);
        var events = (await replay.Content.ReadAsStringAsync()).Split('\n').Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        Assert.Equal(["2", "verdict"], events);

        using var badId = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/suites/{id}/events", UriKind.Relative));
        badId.Headers.Add("Last-Event-ID", "x");
        using var refused = await cluster.Client.SendAsync(badId);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Last-Event-ID", out _));
    }

    [RootFact]
    public async Task Resume_ApiRestartsMidSuite_TheNextInstanceRunsTheRestToTheVerdict()
    {
        const string ns = "suites-resume";
        var first = cluster.NewApi(ns);
        var firstClient = first.CreateAuthenticatedClient();
        await Eventually.TrueAsync(async () => (await firstClient.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "the first API");
        var node = await cluster.AddNodeAsync(ns: ns, api: first);
        await using var firstMonitor = StandInHealthMonitor.Start(cluster.KubeClient, node, $"{_marker}-a", MonitorActions.Cordon | MonitorActions.Recover, waitForGo: true);
        await using var secondMonitor = StandInHealthMonitor.Start(cluster.KubeClient, node, $"{_marker}-b", MonitorActions.Cordon | MonitorActions.Recover);
        using var response = await StartAsync(
            new
            {
                drills = new[]
                {
                    new { node_name = node, xid = 79, message = $"{_marker}-a", expect = new[] { "cordon", "recover" }, timeout_seconds = 120 },
                    new { node_name = node, xid = 79, message = $"{_marker}-b", expect = new[] { "cordon", "recover" }, timeout_seconds = 120 },
                },
            },
            firstClient);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
        await firstMonitor.WatchingAsync(firstMonitor.Detected.Task.WaitAsync(TimeSpan.FromSeconds(60)));

        // The restart comes as soon as the monitor sees the line: the API's injection call may still be returning (the
        // drill is then resumed unconfirmed and its injection found again on the agent, #16), or done.
        firstClient.Dispose();
        await first.DisposeAsync();
        var stored = JsonDocument.Parse(cluster.Kube.Get<V1ConfigMap>("ConfigMap", ns, $"suite-{id}")!.Data["suite.json"]).RootElement;
        Assert.Equal("running", stored.GetProperty("state").GetString());
        Assert.Equal("pending", stored.GetProperty("drills")[1].GetProperty("state").GetString());
        var firstDrill = Assert.Single(cluster.Kube.All<V1ConfigMap>("ConfigMap"), m => m.Metadata.NamespaceProperty == ns && m.Metadata.Labels?.ContainsKey(DrillStore.DrillLabel) == true).Data["drill.json"];
        var firstDrillId = JsonDocument.Parse(firstDrill).RootElement.GetProperty("drill_id").GetString()!;

        // The monitor reacts only now: the second API follows the first drill to its verdict and starts the second.
        await using var second = cluster.NewApi(ns);
        using var secondClient = second.CreateAuthenticatedClient();
        var suites = second.Services.GetRequiredService<SuiteService>();
        await Eventually.TrueAsync(() => suites.Running.Contains(id), "the second API to resume the suite");

        // And its drill: the suite runner and the drill's follower are resumed by two hosts, each when it sees the lease
        // expired. A monitor that cordons and recovers before the follower watches again leaves nothing to observe.
        var followed = second.Services.GetRequiredService<DrillService>();
        await Eventually.TrueAsync(() => followed.Following.Contains(firstDrillId), "the second API to follow the first drill");
        firstMonitor.Go();

        var suite = await StandInMonitorWaits.WatchingAsync(cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(120), secondClient), [firstMonitor, secondMonitor]);
        Assert.True(suite.GetProperty("state").GetString() == "passed", $"{suite}\n{StandInMonitorWaits.Account([firstMonitor, secondMonitor])}");
        Assert.All(suite.GetProperty("drills").EnumerateArray(), d => Assert.Equal(["injected", "cordon", "recover"], d.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString())));
    }

    [RootFact]
    public async Task Resume_PendingDrillStartedBeforeRoutingSynced_StaysPendingAndStartsOnceRoutingSynced()
    {
        const string ns = "suites-resume-routing";
        var first = cluster.NewApi(ns);
        var firstClient = first.CreateAuthenticatedClient();
        await Eventually.TrueAsync(async () => (await firstClient.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "the first API");
        var node = await cluster.AddNodeAsync(ns: ns, api: first);
        await using var firstMonitor = StandInHealthMonitor.Start(cluster.KubeClient, node, $"{_marker}-a", MonitorActions.Cordon | MonitorActions.Recover, waitForGo: true);
        await using var secondMonitor = StandInHealthMonitor.Start(cluster.KubeClient, node, $"{_marker}-b", MonitorActions.Cordon | MonitorActions.Recover);
        using var response = await StartAsync(
            new
            {
                drills = new[]
                {
                    new { node_name = node, xid = 79, message = $"{_marker}-a", expect = new[] { "cordon", "recover" }, timeout_seconds = 120 },
                    new { node_name = node, xid = 79, message = $"{_marker}-b", expect = new[] { "cordon", "recover" }, timeout_seconds = 120 },
                },
            },
            firstClient);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;

        // The first API stops once the first drill's injection is confirmed; the second drill is still pending.
        string? firstDrill = null;
        await Eventually.TrueAsync(
            () => cluster.Kube.All<V1ConfigMap>("ConfigMap").FirstOrDefault(m => m.Metadata.NamespaceProperty == ns && m.Metadata.Labels?.ContainsKey(DrillStore.DrillLabel) == true) is { } map
                && JsonDocument.Parse(map.Data["drill.json"]).RootElement is var drill
                && drill.TryGetProperty("injected_at", out var injectedAt) && injectedAt.ValueKind == JsonValueKind.String
                && (firstDrill = drill.GetProperty("drill_id").GetString()) is not null,
            "the first drill's injection to be confirmed");
        firstClient.Dispose();
        await first.DisposeAsync();

        // The next instance's routing cannot sync (the agent pods' list is held): it resumes the suite and follows the
        // first drill, which needs no routing, to its verdict; starting the second answers "Routing not ready".
        cluster.Kube.HoldPodLists(ns);
        try
        {
            await using var second = cluster.NewApi(ns);
            using var secondClient = second.CreateAuthenticatedClient();
            var suites = second.Services.GetRequiredService<SuiteService>();
            var followed = second.Services.GetRequiredService<DrillService>();
            await Eventually.TrueAsync(() => suites.Running.Contains(id), "the second API to resume the suite");
            await Eventually.TrueAsync(() => followed.Following.Contains(firstDrill!), "the second API to follow the first drill");
            firstMonitor.Go();

            // The second drill stays pending, saying why, instead of ending as an error. "starting" is recorded before
            // each attempt (and again on each retry, reason kept), so only pending-with-a-reason or a state past
            // starting ends the wait.
            JsonElement waiting = default;
            await Eventually.TrueAsync(
                async () => (waiting = (await cluster.GetSuiteAsync(id, secondClient)).GetProperty("drills")[1]).GetProperty("state").GetString() switch
                {
                    "pending" => waiting.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String,
                    "starting" => false,
                    _ => true,
                },
                "the second drill's start to be refused by the unsynced routing");
            Assert.True(waiting.GetProperty("state").GetString() == "pending", waiting.ToString());
            Assert.Contains("Routing not ready", waiting.GetProperty("reason").GetString(), StringComparison.Ordinal);

            // Once the routing syncs, it starts and the suite passes.
            cluster.Kube.ReleasePodLists(ns);
            var suite = await StandInMonitorWaits.WatchingAsync(cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(120), secondClient), [firstMonitor, secondMonitor]);
            Assert.True(suite.GetProperty("state").GetString() == "passed", $"{suite}\n{StandInMonitorWaits.Account([firstMonitor, secondMonitor])}");
            Assert.All(suite.GetProperty("drills").EnumerateArray(), d => Assert.Equal(["injected", "cordon", "recover"], d.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString())));
        }
        finally
        {
            cluster.Kube.ReleasePodLists(ns);
        }
    }

    [RootFact]
    public async Task Resume_ApiStopsWhileTheInjectionCallIsInFlight_TheNextInstanceResumesAtOnceWithOneFault()
    {
        const string ns = "suites-resume-in-flight";
        var first = cluster.NewApi(ns);
        var firstClient = first.CreateAuthenticatedClient();
        await Eventually.TrueAsync(async () => (await firstClient.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "the first API");

        // The node's agent pod is a relay in front of the agent: it holds the agent's answer to the first drill's injection.
        await using var relay = new AnswerHoldingHttp2Relay(new IPEndPoint(cluster.AgentAddress, cluster.AgentPort), new IPEndPoint(LoopbackAddresses.Allocate(1)[0], cluster.AgentPort));
        var node = await cluster.AddNodeAsync(ns: ns, api: first, agentAddress: relay.ListenEndpoint.Address);
        await using var firstMonitor = StandInHealthMonitor.Start(cluster.KubeClient, node, $"{_marker}-a", MonitorActions.Cordon | MonitorActions.Recover, waitForGo: true);
        await using var secondMonitor = StandInHealthMonitor.Start(cluster.KubeClient, node, $"{_marker}-b", MonitorActions.Cordon | MonitorActions.Recover);
        relay.HoldAnswerTo($"{_marker}-a");
        using var response = await StartAsync(
            new
            {
                drills = new[]
                {
                    new { node_name = node, xid = 79, message = $"{_marker}-a", expect = new[] { "cordon", "recover" }, timeout_seconds = 120 },
                    new { node_name = node, xid = 79, message = $"{_marker}-b", expect = new[] { "cordon", "recover" }, timeout_seconds = 120 },
                },
            },
            firstClient);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;

        // The agent wrote the line and answered; the answer is in flight when the first API stops.
        await relay.Held.WaitAsync(TimeSpan.FromSeconds(60));
        await firstMonitor.WatchingAsync(firstMonitor.Detected.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        firstClient.Dispose();
        await first.DisposeAsync();
        relay.Release();

        // It left both records for the next instance at once: the suite's lease released, the drill kept (its
        // injection unconfirmed) with its lease released too.
        var drillMaps = cluster.Kube.All<V1ConfigMap>("ConfigMap").Where(m => m.Metadata.NamespaceProperty == ns && m.Metadata.Labels?.ContainsKey(DrillStore.DrillLabel) == true).ToList();
        var drillMap = Assert.Single(drillMaps);
        Assert.False(drillMap.Metadata.Annotations?.ContainsKey(DrillStore.HolderAnnotation) ?? false, "the drill's lease is still held");
        var firstDrill = JsonDocument.Parse(drillMap.Data["drill.json"]).RootElement.GetProperty("drill_id").GetString()!;
        var suiteMap = cluster.Kube.Get<V1ConfigMap>("ConfigMap", ns, $"suite-{id}")!;
        var suiteHolder = suiteMap.Metadata.Annotations is { } annotations && annotations.TryGetValue(SuiteStore.HolderAnnotation, out var holder) ? holder : null;
        Assert.True(suiteHolder is null, $"the suite's lease is still held by {suiteHolder}");
        var stored = JsonDocument.Parse(suiteMap.Data["suite.json"]).RootElement;
        Assert.Equal("running", stored.GetProperty("state").GetString());
        Assert.Equal("pending", stored.GetProperty("drills")[1].GetProperty("state").GetString());

        // The next instance takes only released leases (its lease is far longer than the test): it resumes the drill
        // (finding the injection the agent did) and the suite at once.
        await using var second = cluster.NewApi(ns, new Dictionary<string, string?> { ["Drills:LeaseDuration"] = "00:10:00" });
        using var secondClient = second.CreateAuthenticatedClient();
        var suites = second.Services.GetRequiredService<SuiteService>();
        var followed = second.Services.GetRequiredService<DrillService>();
        await Eventually.TrueAsync(() => suites.Running.Contains(id), "the second API to resume the suite");
        await Eventually.TrueAsync(() => followed.Following.Contains(firstDrill), "the second API to follow the first drill");
        firstMonitor.Go();

        var suite = await StandInMonitorWaits.WatchingAsync(cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(120), secondClient), [firstMonitor, secondMonitor]);
        Assert.True(suite.GetProperty("state").GetString() == "passed", $"{suite}\n{StandInMonitorWaits.Account([firstMonitor, secondMonitor])}");
        Assert.Equal(firstDrill, suite.GetProperty("drills")[0].GetProperty("drill_id").GetString());
        Assert.All(suite.GetProperty("drills").EnumerateArray(), d => Assert.Equal(["injected", "cordon", "recover"], d.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString())));

        // The agent holds one fault for the first drill (found again, not injected twice), and one for the second.
        using var faults = await secondClient.GetAsync(new Uri($"/api/v1/faults?node={node}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, faults.StatusCode);
        var lines = (await faults.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("line").GetString()!).ToList();
        Assert.Single(lines, l => l.EndsWith($"{_marker}-a", StringComparison.Ordinal));
        Assert.Single(lines, l => l.EndsWith($"{_marker}-b", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task Start_FromProfileOnANodePool_RunsOneDrillPerDrilledXidWithItsBucketsExpectations()
    {
        var pool = $"pool-{_marker[^8..]}";
        var node = await cluster.AddNodeAsync();
        await cluster.KubeClient.CoreV1.PatchNodeAsync(new V1Patch($"{{\"metadata\":{{\"labels\":{{\"suite-pool\":\"{pool}\"}}}}}}", V1Patch.PatchType.MergePatch), node);
        var directory = cluster.Api.Services.GetRequiredService<IAgentDirectory>();
        await Eventually.TrueAsync(() => directory.GetAll().Any(a => a.NodeName == node && a.NodeLabels.GetValueOrDefault("suite-pool") == pool), "the pool label in the routing cache");

        using var response = await StartAsync(new
        {
            name = "profile",
            from_profile = new
            {
                profile = new
                {
                    buckets = new Dictionary<string, object> { ["FATAL"] = new { expect = new[] { "cordon" } }, ["RESET"] = new { expect = new[] { "cordon", "taint:gpu-reset" } }, ["IGNORE"] = new { expect = Array.Empty<string>() } },
                    xids = new Dictionary<string, string> { ["79"] = "FATAL", ["48"] = "RESET", ["43"] = "IGNORE" },
                },
                node_selector = $"suite-pool={pool}",
                gpu_id = 1,
                timeout_seconds = 2,
            },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
        var suite = await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(120));
        var entries = suite.GetProperty("drills").EnumerateArray().ToList();
        Assert.Equal(["xid 48 RESET", "xid 79 FATAL"], entries.Select(e => e.GetProperty("name").GetString()));
        Assert.All(entries, e => Assert.Equal((node, 1, 2.0), (e.GetProperty("node_name").GetString(), e.GetProperty("gpu_id").GetInt32(), e.GetProperty("timeout_seconds").GetDouble())));
        Assert.Equal(["cordon", "taint:gpu-reset"], entries[0].GetProperty("expect").EnumerateArray().Select(x => x.GetString()));
        Assert.Contains("): 48, ", entries[0].GetProperty("line").GetString(), StringComparison.Ordinal);
        Assert.Equal(["cordon"], entries[1].GetProperty("missing").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal("failed", suite.GetProperty("state").GetString());

        // The shipped NVSentinel profile by name: Xid 79 is RESTART_BM, a reboot expected.
        using var shipped = await StartAsync(new { from_profile = new { profile_name = "nvsentinel", node_selector = $"suite-pool={pool}", xids = new[] { 79 } } });
        Assert.Equal(HttpStatusCode.Accepted, shipped.StatusCode);
        var planned = await shipped.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("xid 79 RESTART_BM", planned.GetProperty("drills")[0].GetProperty("name").GetString());
        Assert.Equal(["condition:SysLogsXIDError", "cordon", "drain", "reboot"], planned.GetProperty("drills")[0].GetProperty("expect").EnumerateArray().Select(x => x.GetString()));
        using var cancel = await cluster.Client.DeleteAsync(new Uri($"/api/v1/suites/{planned.GetProperty("suite_id").GetString()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        using var bad = await StartAsync(new { from_profile = new { profile_name = "no-such-profile", xids = new[] { 43 } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("from_profile.profile_name", out _));
        Assert.True(errors.TryGetProperty("from_profile.node_selector", out _));
        using var ignored = await StartAsync(new { from_profile = new { profile_name = "nvsentinel", node_selector = $"suite-pool={pool}", xids = new[] { 63 } } });
        Assert.Contains("is not a drilled Xid", (await ignored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("from_profile.xids")[0].GetString(), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Start_StaticRouting_Returns501()
    {
        await using var api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:static-node"] = "http://127.0.0.1:1",
        });
        using var client = api.CreateAuthenticatedClient();

        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/suites", UriKind.Relative), new { drills = new[] { new { node_name = "static-node", xid = 79, expect = new[] { "cordon" } } } });
        using var list = await client.GetAsync(new Uri("/api/v1/suites", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("Suites need Kubernetes", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotImplemented, list.StatusCode);
    }

    private async Task<HttpResponseMessage> StartAsync(object body, HttpClient? client = null) =>
        await (client ?? cluster.Client).PostAsJsonAsync(new Uri("/api/v1/suites", UriKind.Relative), body);
}
