using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FaultApi.Storage;
using FaultApi.Suites;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using k8s;
using k8s.Models;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Suites;

/// <summary>
/// A suite's record is one ConfigMap, which may hold 1 MiB (the fake Kubernetes API refuses more with 422 as the real
/// one does). A request body is at most 64 KiB, but a <c>node_selector</c> drill is copied once per node it picks (its
/// expectations twice: <c>expect</c> and <c>missing</c>), the summary lists every expectation, and a run adds each
/// drill's reason (a timeout names every expectation never observed) twice. A suite whose record could pass the limit
/// is refused before anything is written or injected.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class SuiteRecordSizeTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    /// <summary>2,800 distinct expectations of 15 characters: about 50 KiB of the 64 KiB a body may hold.</summary>
    private static readonly string[] ManyConditions =
        [.. Enumerable.Range(0, 2800).Select(i => "condition:C" + i.ToString("0000", CultureInfo.InvariantCulture))];

    /// <summary>
    /// Expectations of 15 characters that keep a suite of two drills (one <c>node_selector</c> drill, count 2) just
    /// within the bound of its run (<see cref="SuiteRecordBudget.Estimate"/>): one more passes 1 MiB.
    /// </summary>
    private static readonly string[] JustWithinTheBound = ManyConditions[..JustWithinTheBoundCount];

    /// <summary>How many: measured against the bound (the test checks it is within <see cref="OneExpectationOnTwoNodes"/> of 1 MiB).</summary>
    private const int JustWithinTheBoundCount = 1579;

    /// <summary>More than one expectation of 15 characters adds to the bound of a suite of two drills (in the record and its summary, as planned and as run).</summary>
    private const int OneExpectationOnTwoNodes = 1024;

    [RootFact]
    public async Task Start_SelectorDrillCopiedPastTheConfigMapLimit_Is400NamingDrills_AndWritesNothing()
    {
        var pool = await AddPoolAsync(8);
        var before = Records();

        using var response = await StartAsync(pool, count: 8);

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("KiB", problem.GetProperty("errors").GetProperty("drills")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Records());
    }

    [RootFact]
    public async Task Start_SuiteThatFitsAsPlannedButWouldOutgrowItsConfigMapWhileRunning_Is400NamingDrills_AndWritesNothing()
    {
        var pool = await AddPoolAsync(4);
        var before = Records();

        using var response = await StartAsync(pool, count: 4);

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("KiB", problem.GetProperty("errors").GetProperty("drills")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Records());
    }

    [RootFact]
    public async Task Start_SameExpectationsOnTwoNodes_JustWithinItsRunsBound_IsAccepted_OneMoreExpectation_Is400NamingDrillsAndTheBytes()
    {
        var pool = await AddPoolAsync(2);
        var created = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        cluster.Kube.RefuseConfigMapWrites(m =>
        {
            if (m.Metadata.Name.StartsWith("suite-", StringComparison.Ordinal))
            {
                created.TryAdd(m.Metadata.Name, m.Data["suite.json"]);
            }

            return null;
        });
        try
        {
            using var response = await StartAsync(pool, count: 2, JustWithinTheBound);

            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
            // Its bound, from the record as created: within 1 MiB by less than one more expectation adds.
            var planned = JsonSerializer.Deserialize<SuiteRecord>(created[$"suite-{id}"], RecordJson.Options)!;
            var (_, largest) = SuiteRecordBudget.Estimate(planned);
            Assert.InRange(largest, SuiteRecordBudget.MaxBytes - OneExpectationOnTwoNodes, SuiteRecordBudget.MaxBytes);
            using var cancel = await cluster.Client.DeleteAsync(new Uri($"/api/v1/suites/{id}?reason=size%20test%20over", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
        }

        var before = Records();
        using var over = await StartAsync(pool, count: 2, [.. JustWithinTheBound, "condition:Z0000"]);

        var problem = await ProblemResponse.ReadAsync(over, HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("drills")[0].GetString()!;
        var reach = long.Parse(Regex.Match(message, @"could reach (\d+) bytes").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(reach, SuiteRecordBudget.MaxBytes + 1, SuiteRecordBudget.MaxBytes + OneExpectationOnTwoNodes);
        Assert.Contains($"at most {SuiteRecordBudget.MaxBytes} bytes", message, StringComparison.Ordinal);
        Assert.Equal(before, Records());
    }

    /// <summary>
    /// A run writing the largest texts the agent and the monitors give: an Xid message of 511 characters that the
    /// record stores escaped (<c>&lt;</c> is <c>\u003C</c>), drill names likewise, node conditions with long reasons and
    /// messages, more than the drill's share of evidence, timeouts naming many expectations never observed, a suite's
    /// reason naming every drill. Every write of its record stays within the estimate the suite was accepted with,
    /// and each copied text says where it was cut.
    /// </summary>
    [RootFact]
    public async Task Run_DrillsGivingTheLargestLinesEvidenceAndReasons_EveryWriteStaysWithinTheEstimate_AndEachCopyIsCapped()
    {
        var nodes = new[] { await cluster.AddNodeAsync(), await cluster.AddNodeAsync(), await cluster.AddNodeAsync() };
        var met = new[] { "condition:CapA", "condition:CapB", "condition:CapC" };
        var never = Enumerable.Range(0, 12).Select(i => $"condition:NeverReportedByAnyMonitorInThisTest{i:00}").ToArray();
        var writes = new ConcurrentDictionary<string, ConcurrentQueue<(int Bytes, string Json)>>(StringComparer.Ordinal);
        cluster.Kube.RefuseConfigMapWrites(m =>
        {
            if (m.Metadata.Name.StartsWith("suite-", StringComparison.Ordinal))
            {
                writes.GetOrAdd(m.Metadata.Name, _ => new()).Enqueue((FakeKubeApiServer.DataBytes(m), m.Data["suite.json"]));
            }

            return null;
        });
        try
        {
            using var response = await cluster.Client.PostAsJsonAsync(new Uri("/api/v1/suites", UriKind.Relative), new
            {
                concurrency = 3,
                drills = nodes.Select((node, i) => new
                {
                    name = $"{i}" + new string('&', 120),
                    node_name = node,
                    xid = 79,
                    message = new string('<', 511),
                    expect = met.Concat(never).ToArray(),
                    timeout_seconds = 30,
                }).ToArray(),
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
            await Eventually.TrueAsync(async () => (await cluster.GetSuiteAsync(id)).GetProperty("drills").EnumerateArray().All(d => d.GetProperty("state").GetString() == "running"), "every drill to run");

            // What a monitor reports, at its longest: three conditions whose messages pass the cap; together past the drill's share.
            var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            foreach (var node in nodes)
            {
                var patch = new { status = new { conditions = met.Select(c => new { type = c["condition:".Length..], status = "True", reason = "SysLogsXIDErrorIsNotHealthy", message = string.Concat(Enumerable.Repeat("NVRM: Xid <&> é€ ", 400)), lastHeartbeatTime = now, lastTransitionTime = now }).ToArray() } };
                await cluster.KubeClient.CoreV1.PatchNodeStatusAsync(new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.StrategicMergePatch), node);
            }

            var suite = await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(120));
            Assert.Equal("failed", suite.GetProperty("state").GetString());

            var seen = writes[$"suite-{id}"].ToList();
            var planned = JsonSerializer.Deserialize<SuiteRecord>(seen[0].Json, RecordJson.Options)!;
            var (plannedBytes, largest) = SuiteRecordBudget.Estimate(planned);
            Assert.All(seen, w => Assert.True(w.Bytes <= largest, $"a write of {w.Bytes} bytes; the estimate was {largest} (planned {plannedBytes})"));
            Assert.True(seen[^1].Bytes > plannedBytes + 10_000, $"the run wrote {seen[^1].Bytes} bytes, planned {plannedBytes}");

            // Every cap this run can reach was reached, and says so.
            var record = JsonSerializer.Deserialize<SuiteRecord>(seen[^1].Json, RecordJson.Options)!;
            Assert.Contains("(truncated, ", record.Reason, StringComparison.Ordinal);
            Assert.All(record.Events.Where(e => e.Event != "drill_started"), e => Assert.Contains("(truncated, ", e.Reason, StringComparison.Ordinal));
            Assert.All(record.Drills, d =>
            {
                Assert.Equal("failed", d.State.JsonName());
                Assert.StartsWith("Timed out after 30 s; never observed: ", d.Reason, StringComparison.Ordinal);
                Assert.Contains("(truncated, ", d.Reason, StringComparison.Ordinal);
                Assert.Matches(@"… \(truncated, [0-9]+ bytes\)$", d.Line);
                Assert.Equal(never, d.Missing);
                Assert.Equal(["injected", .. met], d.Steps.Select(s => s.Step));
                Assert.Contains("(truncated, ", d.Steps[0].Evidence["line"], StringComparison.Ordinal);
                Assert.Contains("(truncated, ", d.Steps[1].Evidence["message"], StringComparison.Ordinal);
                Assert.Matches("^[0-9]+ entries, [0-9]+ bytes$", d.Steps[^1].Evidence["left_out"]);
            });

            // The drills' own records keep it all.
            var drill = await cluster.GetDrillAsync(record.Drills[0].DrillId!);
            Assert.Equal(400 * 17, drill.GetProperty("steps")[1].GetProperty("evidence").GetProperty("message").GetString()!.Length);
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
        }
    }

    private async Task<string> AddPoolAsync(int nodes)
    {
        var pool = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < nodes; i++)
        {
            await cluster.AddNodeAsync(labels: new Dictionary<string, string> { ["size-pool"] = pool });
        }

        return pool;
    }

    private async Task<HttpResponseMessage> StartAsync(string pool, int count, string[]? expect = null) =>
        await cluster.Client.PostAsJsonAsync(
            new Uri("/api/v1/suites", UriKind.Relative),
            new { concurrency = count, drills = new[] { new { node_selector = $"size-pool={pool}", count, xid = 79, expect = expect ?? ManyConditions, timeout_seconds = 120 } } });

    private int Records() => cluster.Kube.All<V1ConfigMap>("ConfigMap").Count(m => m.Metadata.Name.StartsWith("suite-", StringComparison.Ordinal) || m.Metadata.Name.StartsWith("drill-", StringComparison.Ordinal));
}
