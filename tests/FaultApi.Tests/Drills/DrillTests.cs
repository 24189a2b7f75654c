#pragma warning disable CA1861 // Expectations inline read as the request a person sends.
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Drills;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Drills;

/// <summary>
/// Drills end to end: the real API injects through a real agent into the machine's /dev/kmsg; a stand-in NVSentinel
/// tails /dev/kmsg and reacts through the fake Kubernetes API; the API follows the node and its pods with watches and
/// reports the timeline. Also the refusals (409), validation (400), cancel, the event stream, and resume after a restart.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DrillTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    private readonly string _marker = $"drill-test-{Guid.NewGuid():N}"[..22];

    [RootFact]
    public async Task Drill_MonitorConditionCordonDrainRebootRecover_PassesWithOrderedTimeline()
    {
        var node = await cluster.AddNodeAsync();
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.All);

        using var response = await cluster.StartDrillAsync(new
        {
            node_name = node,
            gpu_id = 0,
            xid = 79,
            message = $"GPU has fallen off the bus. {_marker}",
            expect = new[] { "condition:SysLogsXIDError", "cordon", "drain:training", "reboot", "recover" },
            timeout_seconds = 60,
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = started.GetProperty("drill_id").GetString()!;
        Assert.Equal($"/api/v1/drills/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("running", started.GetProperty("state").GetString());
        Assert.Contains("NVRM: Xid (PCI:0000:18:00): 79,", started.GetProperty("line").GetString(), StringComparison.Ordinal);

        var drill = await monitor.WatchingAsync(cluster.WaitForVerdictAsync(id));
        Assert.True(drill.GetProperty("state").GetString() == "passed", $"{drill}\n{monitor.Account()}");
        Assert.Empty(drill.GetProperty("missing").EnumerateArray());
        var steps = drill.GetProperty("steps").EnumerateArray().ToList();
        var names = steps.Select(s => s.GetProperty("step").GetString()).ToList();
        Assert.Equal(
            new[] { "condition:SysLogsXIDError", "cordon", "drain:training", "injected", "reboot", "recover" },
            names.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("injected", names[0]);
        Assert.Equal("recover", names[^1]);

        // Same watch stream (the node): the monitor's order is kept.
        Assert.True(names.IndexOf("condition:SysLogsXIDError") < names.IndexOf("cordon"));
        Assert.True(names.IndexOf("cordon") < names.IndexOf("reboot"));

        var seconds = steps.Select(s => s.GetProperty("seconds_since_injection").GetDouble()).ToList();
        var observed = steps.Select(s => s.GetProperty("observed_at").GetDateTimeOffset()).ToList();
        Assert.All(seconds, s => Assert.InRange(s, 0, 60));
        Assert.Equal(seconds.Order().ToList(), seconds);
        Assert.Equal(observed.Skip(1).Order().ToList(), observed.Skip(1).ToList());
        Assert.Equal(0, seconds[0]);
        Assert.Equal(drill.GetProperty("injected_at").GetDateTimeOffset(), observed[0]);

        var condition = steps.Single(s => s.GetProperty("step").GetString() == "condition:SysLogsXIDError").GetProperty("evidence");
        Assert.Equal("SysLogsXIDErrorIsNotHealthy", condition.GetProperty("reason").GetString());
        Assert.StartsWith("ErrorCode:79 PCI:0000:18:00", condition.GetProperty("message").GetString(), StringComparison.Ordinal);
        var drain = steps.Single(s => s.GetProperty("step").GetString() == "drain:training").GetProperty("evidence");
        Assert.Equal($"training/trainer-0-{node},training/trainer-1-{node}", drain.GetProperty("pods_evicted").GetString());
        var reboot = steps.Single(s => s.GetProperty("step").GetString() == "reboot").GetProperty("evidence");
        Assert.NotEqual(reboot.GetProperty("boot_id_before").GetString(), reboot.GetProperty("boot_id").GetString());
        Assert.True(drill.GetProperty("kernel_timestamp_us").GetUInt64() > 0);

        // The monitor saw the very line the drill reports, through NVSentinel's pattern.
        var match = await monitor.Detected.Task;
        Assert.Equal("79", match.Groups[2].Value);

        // Followed by watches on the one node and its pods (fieldSelector), not by polling.
        var requests = cluster.Kube.Requests.ToList();
        Assert.Contains(requests, r => r.StartsWith("GET /api/v1/nodes?", StringComparison.Ordinal) && r.Contains($"fieldSelector=metadata.name%3D{node}", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.StartsWith("GET /api/v1/pods?", StringComparison.Ordinal) && r.Contains($"fieldSelector=spec.nodeName%3D{node}", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal));
        Assert.InRange(requests.Count(r => r.StartsWith("GET /api/v1/nodes?", StringComparison.Ordinal) && r.Contains($"metadata.name%3D{node}", StringComparison.Ordinal) && !r.Contains("watch=true", StringComparison.Ordinal)), 1, 3);

        // The record lives in the cluster as a labelled ConfigMap.
        var map = cluster.Kube.Get<V1ConfigMap>("ConfigMap", DrillCluster.Namespace, $"drill-{id}")!;
        Assert.Equal("fault-injection-api", map.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal("true", map.Metadata.Labels["fault-injection/drill"]);
        Assert.Equal(node, map.Metadata.Labels["fault-injection/node"]);
        Assert.Equal("passed", JsonDocument.Parse(map.Data["drill.json"]).RootElement.GetProperty("state").GetString());

        using var list = await cluster.Client.GetAsync(new Uri($"/api/v1/drills?node={node}", UriKind.Relative));
        var listed = await list.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, listed.GetProperty("count").GetInt32());
        Assert.Equal(id, listed.GetProperty("drills")[0].GetProperty("drill_id").GetString());
    }

    [RootFact]
    public async Task Drill_StandInMonitorLosesItsLine_TheWaitFailsBeforeTheDrillsTimeoutNamingTheLostSequence()
    {
        // The monitor loses its own line on purpose, as if other writers had made the ring overwrite it before it read it.
        var node = await cluster.AddNodeAsync();
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Cordon, losing: _marker);
        using var response = await cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 120 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!;

        var lost = await Assert.ThrowsAsync<KernelLogGapException>(() => monitor.WatchingAsync(cluster.WaitForVerdictAsync(id)));

        // Told while the drill still runs (its timeout is 120 s), naming the sequence the drill's line has.
        var drill = await cluster.GetDrillAsync(id);
        Assert.Equal("running", drill.GetProperty("state").GetString());
        var sequence = drill.GetProperty("kernel_sequence").GetUInt64().ToString(CultureInfo.InvariantCulture);
        Assert.Contains($"The stand-in monitor for '{_marker}' lost its Xid line: drill {id} on {node} wrote it at kernel sequence {sequence}, in the gap {sequence}-{sequence} (", lost.Message, StringComparison.Ordinal);
        Assert.False(monitor.Detected.Task.IsCompleted);
        Assert.Contains($"has not seen its Xid line", monitor.Account(), StringComparison.Ordinal);
        using var cancel = await cluster.Client.DeleteAsync(new Uri($"/api/v1/drills/{id}?reason=test%20over", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [RootFact]
    public async Task Drill_StandInMonitorLostAnotherXidRecord_StillReactsToItsLineAndNamesTheGap()
    {
        // Before the drill, the monitor loses another writer's Xid record on purpose: not its line, so no failure.
        var node = await cluster.AddNodeAsync();
        var other = $"other-writer-{Guid.NewGuid():N}";
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Cordon, losing: other);
        KernelLogRingFiller.WriteOne(4, $"NVRM: Xid (PCI:0000:18:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. {other}");
        await Eventually.TrueAsync(() => monitor.Account().Contains("it lost 1 record(s), sequences ", StringComparison.Ordinal), "the monitor to lose the other record");
        using var response = await cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 60 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!;

        var drill = await monitor.WatchingAsync(cluster.WaitForVerdictAsync(id));

        Assert.True(drill.GetProperty("state").GetString() == "passed", $"{drill}\n{monitor.Account()}");
        var sequence = drill.GetProperty("kernel_sequence").GetUInt64().ToString(CultureInfo.InvariantCulture);
        Assert.StartsWith($"The stand-in monitor for '{_marker}' saw its Xid line at sequence {sequence}; it lost 1 record(s), sequences ", monitor.Account(), StringComparison.Ordinal);
        Assert.False(monitor.Lost.IsCompleted);
    }

    [RootFact]
    public async Task Drill_StandInPoolMonitorLosesTheDrillsLine_TheWaitFailsBeforeTheDrillsTimeoutNamingTheDrill()
    {
        var node = await cluster.AddNodeAsync();
        using var client = new FaultInjectionClient(cluster.Api.CreateClient(), ApiApplicationFactory.AliceToken);
        await using var monitor = StandInPoolMonitor.Start(cluster.KubeClient, client, (_, _) => MonitorActions.Cordon, losing: _marker);
        using var response = await cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 120 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!;

        var lost = await Assert.ThrowsAsync<KernelLogGapException>(() => monitor.WatchingAsync(cluster.WaitForVerdictAsync(id)));

        var drill = await cluster.GetDrillAsync(id);
        Assert.Equal("running", drill.GetProperty("state").GetString());
        var sequence = drill.GetProperty("kernel_sequence").GetUInt64().ToString(CultureInfo.InvariantCulture);
        Assert.Contains($"lost drill {id}'s line on {node} (kernel sequence {sequence}, in the gap {sequence}-{sequence};", lost.Message, StringComparison.Ordinal);
        Assert.Empty(monitor.Reactions);
        using var cancel = await cluster.Client.DeleteAsync(new Uri($"/api/v1/drills/{id}?reason=test%20over", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [RootFact]
    public async Task Drill_ExpectationsNeverHappen_FailsAtItsTimeoutNamingThem()
    {
        var node = await cluster.AddNodeAsync();
        using var response = await cluster.StartDrillAsync(new
        {
            node_name = node,
            xid = 48,
            message = _marker,
            expect = new[] { "cordon", "taint:trainy.konduktor.ai/faulty" },
            timeout_seconds = 2,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!;

        var drill = await cluster.WaitForVerdictAsync(id);

        Assert.Equal("failed", drill.GetProperty("state").GetString());
        Assert.Equal("Timed out after 2 s; never observed: cordon, taint:trainy.konduktor.ai/faulty.", drill.GetProperty("reason").GetString());
        Assert.Equal(["cordon", "taint:trainy.konduktor.ai/faulty"], drill.GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["injected"], drill.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        var elapsed = drill.GetProperty("ended_at").GetDateTimeOffset() - drill.GetProperty("created_at").GetDateTimeOffset();
        Assert.True(elapsed >= TimeSpan.FromSeconds(2), $"ended after {elapsed}");
    }

    [RootFact]
    public async Task Start_CordonedNode_Returns409AndRecordsNothing()
    {
        var node = await cluster.AddNodeAsync(cordoned: true);

        using var response = await cluster.StartDrillAsync(new { node_name = node, xid = 79, expect = new[] { "cordon" }, timeout_seconds = 5 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Node already cordoned", problem.GetProperty("title").GetString());
        Assert.DoesNotContain(cluster.Kube.All<V1ConfigMap>("ConfigMap"), m => m.Metadata.Labels is { } labels && labels.TryGetValue("fault-injection/node", out var n) && n == node);
    }

    [RootFact]
    public async Task Start_DrillAlreadyRunning_Returns409_ThenCancelEndsIt()
    {
        var node = await cluster.AddNodeAsync();
        using var first = await cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 120 });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!;

        using var second = await cluster.StartDrillAsync(new { node_name = node, xid = 79, expect = new[] { "cordon" }, timeout_seconds = 120 });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Drill already running", problem.GetProperty("title").GetString());
        Assert.Equal(id, problem.GetProperty("drill_id").GetString());

        using var cancel = await cluster.Client.DeleteAsync(new Uri($"/api/v1/drills/{id}?reason=rehearsal%20over", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await cancel.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal("cancelled by alice: rehearsal over", cancelled.GetProperty("reason").GetString());
        Assert.Equal("cancelled", (await cluster.GetDrillAsync(id)).GetProperty("state").GetString());
        var map = cluster.Kube.Get<V1ConfigMap>("ConfigMap", DrillCluster.Namespace, $"drill-{id}")!;
        Assert.Equal("cancelled", map.Metadata.Labels["fault-injection/drill-state"]);
        Assert.False(map.Metadata.Annotations?.ContainsKey("fault-injection/drill-holder") ?? false);
        Assert.DoesNotContain(id, cluster.Api.Services.GetRequiredService<DrillService>().Following);

        // The node is free again.
        using var third = await cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 120 });
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        var cancelledAll = await cluster.Api.Services.GetRequiredService<DrillService>().CancelAllAsync("emergency stop", CancellationToken.None);
        var thirdId = (await third.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!;
        Assert.Contains(cancelledAll, o => o.Kind == "drill" && o.Id == thirdId && o.Cancelled && o.State == "cancelled" && o.Error is null);
        Assert.Equal("emergency stop", (await cluster.GetDrillAsync(thirdId)).GetProperty("reason").GetString());
    }

    [RootFact]
    public async Task EmergencyStop_Engaged_CancelsTheRunningDrillNamingWhoAndWhy()
    {
        var node = await cluster.AddNodeAsync();
        using var started = await cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 120 });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!;
        try
        {
            using var stop = await cluster.Client.PostAsJsonAsync(new Uri("/api/v1/stop", UriKind.Relative), new { reason = "rehearsal halted" });
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);

            await Eventually.TrueAsync(async () => (await cluster.GetDrillAsync(id)).GetProperty("state").GetString() == "cancelled", "the drill cancelled by the stop");
            var reason = (await cluster.GetDrillAsync(id)).GetProperty("reason").GetString();
            Assert.StartsWith("emergency stop by alice", reason, StringComparison.Ordinal);
            Assert.EndsWith(": rehearsal halted", reason, StringComparison.Ordinal);
            Assert.DoesNotContain(id, cluster.Api.Services.GetRequiredService<DrillService>().Following);
        }
        finally
        {
            using var release = await cluster.Client.DeleteAsync(new Uri("/api/v1/stop?reason=test%20over", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }
    }

    [RootFact]
    public async Task Start_BadBody_Returns400WithFieldErrors()
    {
        var node = await cluster.AddNodeAsync();

        using var response = await cluster.StartDrillAsync(new { node_name = node, expect = new[] { "explode", "condition:", "recover", "drain:Bad_NS" }, timeout_seconds = 1e9 });

        _ = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("is not an expectation", errors.GetProperty("expect[0]")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("condition needs a node condition type", errors.GetProperty("expect[1]")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("expect[3]", out _));
        Assert.True(errors.TryGetProperty("xid", out _));
        Assert.True(errors.TryGetProperty("timeout_seconds", out _));
        Assert.DoesNotContain(cluster.Kube.All<V1ConfigMap>("ConfigMap"), m => m.Metadata.Labels is { } labels && labels.TryGetValue("fault-injection/node", out var n) && n == node);

        using var unknown = await cluster.Client.GetAsync(new Uri("/api/v1/drills/0123456789abcdef", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var bad = await cluster.Client.GetAsync(new Uri("/api/v1/drills/not-an-id", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [RootFact]
    public async Task Events_StreamReplaysThenFollowsStepsAndEndsWithTheVerdict()
    {
        var node = await cluster.AddNodeAsync();
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Condition | MonitorActions.Cordon, waitForGo: true);
        using var started = await cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "condition:SysLogsXIDError", "cordon" }, timeout_seconds = 60 });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/drills/{id}/events", UriKind.Relative));
        using var response = await cluster.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var injected = await ServerSentEvents.ReadAsync(reader, timeout.Token);
        Assert.Equal(("step", "0"), (injected.Name, injected.Id));
        Assert.Equal("injected", injected.Data.GetProperty("step").GetString());

        // Only now does the monitor react: the next events are live, not replayed.
        await monitor.WatchingAsync(monitor.Detected.Task.WaitAsync(timeout.Token));
        monitor.Go();
        var condition = await ServerSentEvents.ReadAsync(reader, timeout.Token);
        var cordon = await ServerSentEvents.ReadAsync(reader, timeout.Token);
        var verdict = await ServerSentEvents.ReadAsync(reader, timeout.Token);

        Assert.Equal(("step", "condition:SysLogsXIDError"), (condition.Name, condition.Data.GetProperty("step").GetString()));
        Assert.Equal(("step", "cordon"), (cordon.Name, cordon.Data.GetProperty("step").GetString()));
        Assert.Equal("verdict", verdict.Name);
        Assert.Equal("passed", verdict.Data.GetProperty("state").GetString());
        Assert.Equal(3, verdict.Data.GetProperty("steps").GetInt32());
        Assert.Null(await reader.ReadLineAsync(timeout.Token));

        // A second watcher after the end gets the whole story replayed.
        var replay = await cluster.Client.GetStringAsync(new Uri($"/api/v1/drills/{id}/events", UriKind.Relative));
        var events = replay.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..]).ToList();

        Assert.Equal(["step", "step", "step", "verdict"], events);
    }

    [RootFact]
    public async Task Resume_ApiRestartsMidDrill_TheNextInstanceFollowsItToTheVerdict()
    {
        const string ns = "drills-resume";
        var first = cluster.NewApi(ns);
        var firstClient = first.CreateAuthenticatedClient();
        await Eventually.TrueAsync(async () => (await firstClient.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "the first API");
        var node = await cluster.AddNodeAsync(ns: ns, api: first);
        using var response = await cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon", "drain" }, timeout_seconds = 120 }, firstClient);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!;
        var firstIdentity = first.Services.GetRequiredService<DrillService>().Identity;
        Assert.Equal(firstIdentity, cluster.Kube.Get<V1ConfigMap>("ConfigMap", ns, $"drill-{id}")!.Metadata.Annotations["fault-injection/drill-holder"]);

        // Cordon while the first API still follows it.
        await cluster.KubeClient.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":true}}", V1Patch.PatchType.MergePatch), node);
        await Eventually.TrueAsync(async () => (await cluster.GetDrillAsync(id, firstClient)).GetProperty("steps").GetArrayLength() == 2, "the cordon step");
        firstClient.Dispose();
        await first.DisposeAsync();
        Assert.Equal("running", JsonDocument.Parse(cluster.Kube.Get<V1ConfigMap>("ConfigMap", ns, $"drill-{id}")!.Data["drill.json"]).RootElement.GetProperty("state").GetString());

        await using var second = cluster.NewApi(ns);
        using var secondClient = second.CreateAuthenticatedClient();
        var drills = second.Services.GetRequiredService<DrillService>();
        await Eventually.TrueAsync(() => drills.Following.Contains(id), "the second API to resume the drill");
        Assert.Equal(drills.Identity, cluster.Kube.Get<V1ConfigMap>("ConfigMap", ns, $"drill-{id}")!.Metadata.Annotations["fault-injection/drill-holder"]);

        // The drain happens after the restart: the resumed drill sees it and passes.
        foreach (var pod in (await cluster.KubeClient.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}")).Items.Where(p => p.Metadata.OwnerReferences is null))
        {
            await cluster.KubeClient.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty);
        }

        var drill = await cluster.WaitForVerdictAsync(id, secondClient);
        Assert.Equal("passed", drill.GetProperty("state").GetString());
        Assert.Equal(["injected", "cordon", "drain"], drill.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        var drain = drill.GetProperty("steps")[2].GetProperty("evidence").GetProperty("pods_evicted").GetString();
        Assert.Equal($"default/notebook-{node},training/trainer-0-{node},training/trainer-1-{node}", drain);
    }

    [RootFact]
    public async Task Start_RequestAbortedWhileTheInjectionIsInFlight_TheDrillIsResumedWithItsOneFaultToTheVerdict()
    {
        // The node's agent pod is a relay in front of the agent: it holds the agent's answer to the drill's injection.
        await using var relay = new AnswerHoldingHttp2Relay(new IPEndPoint(cluster.AgentAddress, cluster.AgentPort), new IPEndPoint(LoopbackAddresses.Allocate(1)[0], cluster.AgentPort));
        var node = await cluster.AddNodeAsync(agentAddress: relay.ListenEndpoint.Address);
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Cordon | MonitorActions.Recover, waitForGo: true);
        relay.HoldAnswerTo(_marker);

        // The caller gives up while the agent's answer is in flight: the agent wrote the line.
        using var abort = new CancellationTokenSource();
        var post = cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon", "recover" }, timeout_seconds = 120 }, cluster.Client, abort.Token);
        await relay.Held.WaitAsync(TimeSpan.FromSeconds(60));
        await monitor.WatchingAsync(monitor.Detected.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
        relay.Release();

        // The drill is kept, not deleted, and resumed: its injection found again on the agent, then followed.
        var drills = cluster.Api.Services.GetRequiredService<DrillService>();
        string? id = null;
        await Eventually.TrueAsync(
            () => (id = cluster.Kube.All<V1ConfigMap>("ConfigMap").FirstOrDefault(m => m.Metadata.Labels is { } labels && labels.TryGetValue(DrillStore.NodeLabel, out var onNode) && onNode == node)?.Metadata.Name["drill-".Length..]) is not null
                && drills.Following.Contains(id),
            "the drill to be resumed");
        monitor.Go();

        var drill = await monitor.WatchingAsync(cluster.WaitForVerdictAsync(id!));
        Assert.True(drill.GetProperty("state").GetString() == "passed", $"{drill}\n{monitor.Account()}");
        Assert.Equal(["injected", "cordon", "recover"], drill.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        using var faults = await cluster.Client.GetAsync(new Uri($"/api/v1/faults?node={node}", UriKind.Relative));
        var lines = (await faults.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("line").GetString()!);
        Assert.Single(lines, l => l.EndsWith(_marker, StringComparison.Ordinal));
    }

    [RootFact]
    public async Task Start_AgentAnswerLostOnEverySend_502NamesTheKeptDrillAndItsOneFault_ThenTheDrillIsResumedToTheVerdict()
    {
        // The node's agent pod is a relay that resets the connection at every answer to the drill's injection: the agent
        // writes the line (then replays it), the API never sees an answer, its own retries and the drill's resends included.
        await using var relay = new AnswerHoldingHttp2Relay(new IPEndPoint(cluster.AgentAddress, cluster.AgentPort), new IPEndPoint(LoopbackAddresses.Allocate(1)[0], cluster.AgentPort));
        var node = await cluster.AddNodeAsync(agentAddress: relay.ListenEndpoint.Address);
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Cordon | MonitorActions.Recover, waitForGo: true);
        relay.DropAnswersTo(_marker);

        using var response = await cluster.StartDrillAsync(new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon", "recover" }, timeout_seconds = 120 });

        // The caller is told the outcome is unknown, naming the drill and the fault to check.
        Assert.True(response.StatusCode == HttpStatusCode.BadGateway, await response.Content.ReadAsStringAsync());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:faultinjection:problem:drill-injection-outcome-unknown", problem.GetProperty("type").GetString());
        var id = problem.GetProperty("drill_id").GetString()!;
        Assert.Equal($"drill-{id}", problem.GetProperty("fault_id").GetString());
        Assert.True(relay.Dropped >= 2, $"answers dropped: {relay.Dropped}");

        // The agent holds one fault for the drill, and the drill's record is kept to follow it.
        using (var faults = await cluster.Client.GetAsync(new Uri($"/api/v1/faults?node={node}", UriKind.Relative)))
        {
            var held = (await faults.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faults").EnumerateArray().ToList();
            Assert.Equal([$"drill-{id}"], held.Select(f => f.GetProperty("fault_id").GetString()));
        }

        var kept = await cluster.GetDrillAsync(id);
        Assert.Equal("running", kept.GetProperty("state").GetString());

        // Once answers pass again, a replica sends the same injection again, finds it on the agent and follows the drill.
        relay.StopDropping();
        var drills = cluster.Api.Services.GetRequiredService<DrillService>();
        await Eventually.TrueAsync(() => drills.Following.Contains(id), "the drill to be resumed");
        monitor.Go();
        var drill = await monitor.WatchingAsync(cluster.WaitForVerdictAsync(id));
        Assert.True(drill.GetProperty("state").GetString() == "passed", $"{drill}\n{monitor.Account()}");
        Assert.Equal($"drill-{id}", drill.GetProperty("fault_id").GetString());
        using var after = await cluster.Client.GetAsync(new Uri($"/api/v1/faults?node={node}", UriKind.Relative));
        var lines = (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("line").GetString()!);
        Assert.Single(lines, l => l.EndsWith(_marker, StringComparison.Ordinal));
    }

    [RootFact]
    public async Task Start_AgentRefusesTheInjection_ReturnsItsProblemAndLeavesNoDrillAndNoFault()
    {
        var node = await cluster.AddNodeAsync();
        async Task<List<string>> AgentFaultIdsAsync()
        {
            // The nodes of this fixture share one agent: the faults it holds, whichever node they were sent for.
            using var faults = await cluster.Client.GetAsync(new Uri($"/api/v1/faults?node={node}", UriKind.Relative));
            return [.. (await faults.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("fault_id").GetString()!).Order(StringComparer.Ordinal)];
        }

        var before = await AgentFaultIdsAsync();

        // Xid 998 is not in the agent's catalog and no message body is given: the agent refuses it (InvalidArgument).
        using var response = await cluster.StartDrillAsync(new { node_name = node, xid = 998, expect = new[] { "cordon" }, timeout_seconds = 30 });

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("InvalidArgument", problem.GetProperty("grpc_status").GetString());
        Assert.DoesNotContain(cluster.Kube.All<V1ConfigMap>("ConfigMap"), m => m.Metadata.Labels is { } labels && labels.TryGetValue(DrillStore.NodeLabel, out var n) && n == node);
        Assert.Equal(before, await AgentFaultIdsAsync());
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

        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/drills", UriKind.Relative), new { node_name = "static-node", xid = 79, expect = new[] { "cordon" } });

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("Drills need Kubernetes", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }
}
