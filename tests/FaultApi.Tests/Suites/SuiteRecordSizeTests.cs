using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
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
    public async Task Start_SameExpectationsOnTwoNodes_FitsWithItsRunsGrowth_AndIsAccepted()
    {
        var pool = await AddPoolAsync(2);

        using var response = await StartAsync(pool, count: 2);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
        using var cancel = await cluster.Client.DeleteAsync(new Uri($"/api/v1/suites/{id}?reason=size%20test%20over", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
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

    private async Task<HttpResponseMessage> StartAsync(string pool, int count) =>
        await cluster.Client.PostAsJsonAsync(
            new Uri("/api/v1/suites", UriKind.Relative),
            new { concurrency = count, drills = new[] { new { node_selector = $"size-pool={pool}", count, xid = 79, expect = ManyConditions, timeout_seconds = 120 } } });

    private int Records() => cluster.Kube.All<V1ConfigMap>("ConfigMap").Count(m => m.Metadata.Name.StartsWith("suite-", StringComparison.Ordinal) || m.Metadata.Name.StartsWith("drill-", StringComparison.Ordinal));
}
