using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using FaultInjection.TestSupport.Http;

namespace FaultAgent.Tests.Paging;

/// <summary>
/// ListFaults, ListAuditEvents and GET /faults page by cursor, over real Kestrel with the real kernel log (the machine's
/// /dev/kmsg entered through a mount namespace the test owns): every item once, in order, across pages; items that come
/// and go between pages neither repeat nor shift the rest; a token only works with the list and filter it came from.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class ListPagingTests : IAsyncLifetime
{
    private readonly string _marker = "p" + Guid.NewGuid().ToString("N")[..12];
    private TargetNamespaceProcess _target = null!;
    private AgentApplicationFactory _factory = null!;
    private AgentClient _client = null!;

    public Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        _factory = new AgentApplicationFactory(_target.Pid);
        _client = _factory.CreateGrpcClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _target.Dispose();
    }

    private async Task<List<string>> InjectAsync(params string[] faultIds)
    {
        foreach (var id in faultIds)
        {
            await _client.InjectXidAsync(new InjectXidRequest { FaultId = id, Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker }, AgentApplicationFactory.Auth());
        }

        return [.. faultIds];
    }

    [RootFact]
    public async Task ListFaults_PageSizeTwo_EveryFaultOnceInInjectionOrder()
    {
        var injected = await InjectAsync("f-1", "f-2", "f-3", "f-4", "f-5");

        var pages = new List<ListFaultsResponse>();
        var token = "";
        do
        {
            var page = await _client.ListFaultsAsync(new ListFaultsRequest { PageSize = 2, PageToken = token }, AgentApplicationFactory.Auth());
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Faults.Count));
        Assert.Equal(injected, pages.SelectMany(p => p.Faults).Select(f => f.FaultId));
        Assert.All(pages, p => Assert.Equal(5, p.TotalSize));
        Assert.Equal("", pages[^1].NextPageToken);
    }

    [RootFact]
    public async Task ListFaults_FaultsAddedAndEndedBetweenPages_NeitherRepeatedNorSkipped()
    {
        await InjectAsync("a", "b", "c");
        var first = await _client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true, PageSize = 2 }, AgentApplicationFactory.Auth());
        Assert.Equal(["a", "b"], first.Faults.Select(f => f.FaultId));

        // An offset would now skip "c" (a ended, so c moved to index 1); a cursor does not.
        await _client.ClearFaultAsync(new ClearFaultRequest { FaultId = "a" }, AgentApplicationFactory.Auth());
        await InjectAsync("d");
        var second = await _client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true, PageSize = 2, PageToken = first.NextPageToken }, AgentApplicationFactory.Auth());

        Assert.Equal(["c", "d"], second.Faults.Select(f => f.FaultId));
        Assert.Equal(3, second.TotalSize);
        Assert.Equal("", second.NextPageToken);
    }

    [RootFact]
    public async Task ListFaults_TokenOfOtherFilter_InvalidArgumentOnPageTokenAndNothingListed()
    {
        await InjectAsync("x-1", "x-2");
        var all = await _client.ListFaultsAsync(new ListFaultsRequest { PageSize = 1 }, AgentApplicationFactory.Auth());
        Assert.NotEqual("", all.NextPageToken);

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListFaultsAsync(
            new ListFaultsRequest { ActiveOnly = true, PageSize = 1, PageToken = all.NextPageToken }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("page_token", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    [RootTheory]
    [InlineData(0, "not-a-token")]
    [InlineData(-1, "")]
    public async Task ListFaults_BadPageSizeOrToken_InvalidArgumentNamingTheField(int pageSize, string token)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListFaultsAsync(
            new ListFaultsRequest { PageSize = pageSize, PageToken = token }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(token.Length > 0 ? "page_token" : "page_size", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    [RootFact]
    public async Task ListAuditEvents_PageSizeOne_EveryEventOnceOldestFirst_TokenBoundToSince()
    {
        await InjectAsync("e-1", "e-2");
        await _client.ClearFaultAsync(new ClearFaultRequest { FaultId = "e-1", Reason = "done" }, AgentApplicationFactory.Auth());
        var since = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1));
        var unpaged = await _client.ListAuditEventsAsync(new ListAuditEventsRequest { Since = since }, AgentApplicationFactory.Auth());

        var events = new List<AuditEvent>();
        var token = "";
        do
        {
            var page = await _client.ListAuditEventsAsync(new ListAuditEventsRequest { Since = since, PageSize = 1, PageToken = token }, AgentApplicationFactory.Auth());
            Assert.Equal(3, page.TotalSize);
            events.AddRange(page.Events);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(3, unpaged.Events.Count);
        Assert.Equal(unpaged.Events, events);
        Assert.Equal(["inject", "inject", "clear"], events.Select(e => e.Action));

        var first = await _client.ListAuditEventsAsync(new ListAuditEventsRequest { Since = since, PageSize = 1 }, AgentApplicationFactory.Auth());
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListAuditEventsAsync(
            new ListAuditEventsRequest { PageSize = 1, PageToken = first.NextPageToken }, AgentApplicationFactory.Auth()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [RootFact]
    public async Task HttpFaults_Limit_PagesWithNextPageToken()
    {
        await InjectAsync("h-1", "h-2", "h-3");
        using var http = _factory.CreateHttpClient();

        var first = await http.GetFromJsonAsync<JsonElement>(new Uri("/faults?limit=2", UriKind.Relative));
        var token = first.GetProperty("next_page_token").GetString();
        var second = await http.GetFromJsonAsync<JsonElement>(new Uri($"/faults?limit=2&page_token={Uri.EscapeDataString(token!)}", UriKind.Relative));

        Assert.Equal(["h-1", "h-2"], Ids(first));
        Assert.Equal(["h-3"], Ids(second));
        Assert.Equal(3, second.GetProperty("total_size").GetInt32());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_page_token").ValueKind);
    }

    [RootTheory]
    [InlineData("limit=0", "limit")]
    [InlineData("page_token=bogus", "page_token")]
    public async Task HttpFaults_BadLimitOrToken_ProblemWithFieldError(string query, string field)
    {
        using var http = _factory.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/faults?" + query, UriKind.Relative));

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    private static List<string?> Ids(JsonElement list) => [.. list.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("fault_id").GetString())];
}
