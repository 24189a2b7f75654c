using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Paging;

/// <summary>
/// <c>limit</c> and <c>page_token</c> on the API's lists against two REAL agents, the fake Kubernetes API server and the
/// real API (<see cref="RealAgentCluster"/>): pages across nodes in one order, each item once, a fault added between calls
/// on a later page (never a repeat), the whole list equal to the pages joined, and bad paging input a 400 naming the field.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class ApiPagingTests : IAsyncLifetime
{
    private readonly string _runId = $"page{Guid.NewGuid():N}"[..14];
    private readonly RealAgentCluster _cluster = new(agents: 2);

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [RootFact]
    public async Task ListFaults_WithLimit_PagesAcrossNodesOldestFirst_EachFaultOnce_ANewFaultOnALaterPage()
    {
        var injected = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            injected.Add(await InjectAsync(i % 2, $"{_runId}-{i}"));
        }

        var first = await GetPageAsync("/api/v1/faults?limit=4", "faults");
        Assert.Equal(injected[..4], first.Ids);
        Assert.NotNull(first.Next);

        // Injected after the first page ended: it sorts after the cursor, so it is on the next page; nothing repeats.
        injected.Add(await InjectAsync(0, $"{_runId}-6"));
        var second = await GetPageAsync($"/api/v1/faults?limit=4&page_token={Uri.EscapeDataString(first.Next!)}", "faults");

        Assert.Equal(injected[4..], second.Ids);
        Assert.Null(second.Next);
        var whole = await GetPageAsync("/api/v1/faults", "faults");
        Assert.Equal(injected, whole.Ids);
        Assert.Null(whole.Next);
    }

    [RootFact]
    public async Task ListAuditEvents_PagesOfTwo_JoinToTheWholeList()
    {
        for (var i = 0; i < 3; i++)
        {
            await InjectAsync(i % 2, $"{_runId}-a{i}");
        }

        var whole = await GetPageAsync("/api/v1/audit?limit=1000", "events");
        Assert.Null(whole.Next);
        Assert.True(whole.Ids.Count(id => id.StartsWith(_runId, StringComparison.Ordinal)) >= 3);

        var joined = new List<string>();
        var uri = "/api/v1/audit?limit=2";
        for (var pages = 1; ; pages++)
        {
            var page = await GetPageAsync(uri, "events");
            Assert.True(page.Ids.Count <= 2);
            joined.AddRange(page.Ids);
            if (page.Next is null)
            {
                Assert.True(pages >= 2);
                break;
            }

            uri = $"/api/v1/audit?limit=2&page_token={Uri.EscapeDataString(page.Next)}";
        }

        Assert.Equal(whole.Ids, joined);
    }

    [RootTheory]
    [InlineData("/api/v1/faults?limit=0", "limit")]
    [InlineData("/api/v1/faults?limit=1001", "limit")]
    [InlineData("/api/v1/faults?limit=ten", "limit")]
    [InlineData("/api/v1/faults?page_token=not-a-token", "page_token")]
    [InlineData("/api/v1/audit?limit=-1", "limit")]
    [InlineData("/api/v1/audit?page_token=%7B%7D", "page_token")]
    [InlineData("/api/v1/bug-reports?limit=0", "limit")]
    [InlineData("/api/v1/bug-reports?page_token=AAAA", "page_token")]
    public async Task List_BadPagingInput_Is400NamingTheField(string uri, string field)
    {
        using var response = await _cluster.Client.GetAsync(new Uri(uri, UriKind.Relative));

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [RootFact]
    public async Task List_TokenOfAnotherListOrFilter_Is400_TheSameListAndFilterAcceptIt()
    {
        await InjectAsync(0, $"{_runId}-t0");
        await InjectAsync(1, $"{_runId}-t1");
        var token = Uri.EscapeDataString((await GetPageAsync("/api/v1/faults?limit=1", "faults")).Next!);

        foreach (var other in new[] { $"/api/v1/faults?active_only=true&page_token={token}", $"/api/v1/faults?node=gpu-node-001&page_token={token}", $"/api/v1/audit?page_token={token}", $"/api/v1/bug-reports?page_token={token}" })
        {
            using var refused = await _cluster.Client.GetAsync(new Uri(other, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("page_token", out _), other);
        }

        Assert.Equal([$"{_runId}-t1"], (await GetPageAsync($"/api/v1/faults?limit=1&page_token={token}", "faults")).Ids);
        var reports = await GetPageAsync("/api/v1/bug-reports?limit=1", "reports");
        Assert.Null(reports.Next);
    }

    private async Task<string> InjectAsync(int node, string faultId)
    {
        using var response = await _cluster.Client.PostAsJsonAsync(
            "/api/v1/faults/gpu/inject/xid-79",
            new { node_name = RealAgentCluster.NodeName(node), gpu_id = 0, fault_id = faultId, message = faultId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return faultId;
    }

    /// <summary>One page: the ids of its items (faults' <c>fault_id</c>; audit events' <c>fault_id</c>, then action and node), and its next token.</summary>
    private async Task<(List<string> Ids, string? Next)> GetPageAsync(string uri, string items)
    {
        using var response = await _cluster.Client.GetAsync(new Uri(uri, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        var list = page.GetProperty(items).EnumerateArray().ToList();
        Assert.Equal(list.Count, page.GetProperty("count").GetInt32());
        Assert.Empty(page.GetProperty("errors").EnumerateArray());
        var ids = items == "events"
            ? list.Select(e => $"{e.GetProperty("fault_id").GetString()}/{e.GetProperty("action").GetString()}/{e.GetProperty("node_name").GetString()}/{e.GetProperty("at").GetString()}").ToList()
            : list.Select(f => f.GetProperty(items == "faults" ? "fault_id" : "id").GetString()!).ToList();
        return (ids, page.GetProperty("next_page_token").GetString());
    }
}
