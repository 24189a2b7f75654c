using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Routing;
using FaultApi.Tests.Infrastructure;
using k8s.Models;
using Microsoft.Extensions.Options;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Drills;

/// <summary>
/// What drill records and their event streams may cost: records pruned by age and count (finished ones only), the list
/// paged, and event streams capped per drill and in all — each against the real API and the fake Kubernetes API server,
/// in a namespace of the test's own so the records are only its own.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DrillRecordLimitsTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    private readonly string _namespace = $"drill-limits-{Guid.NewGuid():N}"[..24];

    [RootFact]
    public async Task Prune_FinishedRecordsPastTheRetention_AreDeleted_RunningAndRecentOnesKept()
    {
        var now = DateTimeOffset.UtcNow;
        var recent = await SeedAsync(DrillState.Passed, now.AddHours(-2));
        var old = await SeedAsync(DrillState.Failed, now.AddDays(-3));
        var oldButRunning = await SeedAsync(DrillState.Running, now.AddDays(-10));

        await using var api = cluster.NewApi(_namespace, new() { ["Drills:RecordRetention"] = "1.00:00:00" });
        using var client = api.CreateAuthenticatedClient();

        await Eventually.TrueAsync(() => Stored(old) is null, "the drill that ended 3 days ago to be deleted");
        Assert.NotNull(Stored(recent));
        Assert.NotNull(Stored(oldButRunning));
        Assert.Equal([recent, oldButRunning], await ListAllAsync(client, limit: 10));
    }

    [RootFact]
    public async Task Prune_MoreFinishedRecordsThanMaxRecords_DeletesTheLongestEnded_KeepsRunningOnes()
    {
        var now = DateTimeOffset.UtcNow;
        var newest = await SeedAsync(DrillState.Passed, now.AddMinutes(-10));
        var middle = await SeedAsync(DrillState.Cancelled, now.AddMinutes(-20));
        var oldest = await SeedAsync(DrillState.Failed, now.AddMinutes(-30));
        var running = await SeedAsync(DrillState.Running, now.AddMinutes(-40));

        await using var api = cluster.NewApi(_namespace, new() { ["Drills:MaxRecords"] = "2" });
        using var client = api.CreateAuthenticatedClient();

        await Eventually.TrueAsync(() => Stored(oldest) is null, "the longest-ended drill beyond Drills:MaxRecords to be deleted");
        Assert.NotNull(Stored(newest));
        Assert.NotNull(Stored(middle));
        Assert.NotNull(Stored(running));
    }

    [RootFact]
    public async Task List_WithLimit_PagesNewestFirst_EachDrillOnce_AndRefusesAForeignToken()
    {
        var now = DateTimeOffset.UtcNow;
        var seeded = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            seeded.Add(await SeedAsync(DrillState.Passed, now.AddMinutes(-i)));
        }

        await using var api = cluster.NewApi(_namespace);
        using var client = api.CreateAuthenticatedClient();

        using var first = await client.GetAsync(new Uri("/api/v1/drills?limit=2", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, page.GetProperty("count").GetInt32());
        Assert.Equal(seeded[..2], page.GetProperty("drills").EnumerateArray().Select(d => d.GetProperty("drill_id").GetString()!));

        // A drill added between the calls is newer than the cursor: it is not on a later page, nor does it shift them.
        await SeedAsync(DrillState.Passed, now.AddMinutes(1));
        Assert.Equal(seeded[2..], await ListAllAsync(client, limit: 2, startToken: page.GetProperty("next_page_token").GetString()));

        using var foreign = await client.GetAsync(new Uri($"/api/v1/drills?node=gpu-node-001&page_token={page.GetProperty("next_page_token").GetString()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.True((await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("page_token", out _));
        using var badLimit = await client.GetAsync(new Uri("/api/v1/drills?limit=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.True((await badLimit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [RootFact]
    public async Task Events_MoreStreamsThanTheCaps_Are429WithRetryAfter_AndAClosedStreamFreesItsPlace()
    {
        var now = DateTimeOffset.UtcNow;
        var first = await SeedAsync(DrillState.Running, now);
        var second = await SeedAsync(DrillState.Running, now);
        var third = await SeedAsync(DrillState.Running, now);
        // Real Kestrel: a stream is open while its response is, as a caller's is.
        await using var api = cluster.NewApi(_namespace, new() { ["Drills:MaxEventSubscribersPerDrill"] = "1", ["Drills:MaxEventSubscribers"] = "2" });
        api.UseKestrel(0);
        api.StartServer();
        using var client = api.CreateAuthenticatedClient();

        var open = await OpenStreamAsync(client, first);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        using (var again = await OpenStreamAsync(client, first))
        {
            await AssertRefusedAsync(again, "Drills:MaxEventSubscribersPerDrill");
        }

        using var other = await OpenStreamAsync(client, second);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        using (var beyond = await OpenStreamAsync(client, third))
        {
            await AssertRefusedAsync(beyond, "Drills:MaxEventSubscribers");
        }

        open.Dispose();
        HttpResponseMessage? freed = null;
        await Eventually.TrueAsync(
            async () =>
            {
                freed?.Dispose();
                freed = await OpenStreamAsync(client, third);
                return freed.StatusCode == HttpStatusCode.OK;
            },
            "the closed stream's place to be free");
        freed!.Dispose();
    }

    private static async Task<HttpResponseMessage> OpenStreamAsync(HttpClient client, string drillId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/drills/{drillId}/events", UriKind.Relative));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string limit)
    {
        _ = await ProblemResponse.ReadAsync(response, HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(limit, problem.GetProperty("limit").GetString());
    }

    /// <summary>Every drill id over the pages of <c>GET /api/v1/drills</c> from <paramref name="startToken"/> (none: the first page) to the last.</summary>
    private static async Task<List<string>> ListAllAsync(HttpClient client, int limit, string? startToken = null)
    {
        var ids = new List<string>();
        var token = startToken;
        for (var pages = 0; pages < 100; pages++)
        {
            var uri = $"/api/v1/drills?limit={limit}" + (token is null ? "" : $"&page_token={Uri.EscapeDataString(token)}");
            using var response = await client.GetAsync(new Uri(uri, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            var drills = page.GetProperty("drills").EnumerateArray().ToList();
            Assert.True(drills.Count <= limit);
            Assert.Equal(drills.Count, page.GetProperty("count").GetInt32());
            ids.AddRange(drills.Select(d => d.GetProperty("drill_id").GetString()!));
            token = page.GetProperty("next_page_token").GetString();
            if (token is null)
            {
                return ids;
            }
        }

        throw new InvalidOperationException("the drill list did not end within 100 pages");
    }

    private V1ConfigMap? Stored(string drillId) => cluster.Kube.Get<V1ConfigMap>("ConfigMap", _namespace, DrillStore.ObjectName(drillId));

    /// <summary>A drill record as the API writes it, created at <paramref name="at"/> (and ended then, unless running; a running one is held by another replica whose lease is not about to expire).</summary>
    private async Task<string> SeedAsync(DrillState state, DateTimeOffset at)
    {
        var id = Guid.NewGuid().ToString("N")[..16];
        var store = new DrillStore(KubernetesConnection.Over(cluster.KubeClient), Options.Create(new RoutingOptions { Namespace = _namespace }));
        var drill = new DrillRecord
        {
            DrillId = id,
            NodeName = "gpu-node-001",
            Code = 79,
            Expect = ["cordon"],
            State = state,
            Reason = state == DrillState.Running ? null : "seeded by the test",
            Caller = "alice",
            CreatedAt = at,
            EndedAt = state == DrillState.Running ? null : at,
            TimeoutSeconds = 60,
        };
        await store.CreateAsync(drill, "another-replica/" + id[..4], state == DrillState.Running ? DateTimeOffset.UtcNow.AddHours(1) : at, CancellationToken.None);
        return id;
    }
}
