using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Faults;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultApi.Tests.Faults;

/// <summary>
/// The API's view of a node after its agent was SIGKILLed while it ended faults: the real API (in memory, routing through
/// the fake Kubernetes API server) in front of a REAL agent process (<see cref="RealAgentCluster"/>), killed mid clear
/// burst while some of its faults' durations run out, and restarted on the same state directory.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultListAfterAgentKillTests : IAsyncLifetime
{
    private static readonly string Node = RealAgentCluster.NodeName(0);
    private readonly string _runId = $"kill{Guid.NewGuid():N}"[..14];
    private readonly RealAgentCluster _cluster = new(agents: 1);

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [RootFact]
    public async Task ListAndGetFaults_AfterTheAgentWasSigkilledMidClearBurstWhileFaultsExpired_AgreeWithTheAgentsListFaults()
    {
        // 60 faults on the node, 20 of them with a 2 s duration; 8 clients clear the other 40 at once, and the agent is
        // SIGKILLed after the 10th acknowledged clear, then restarted on the same state directory.
        var cleared = new List<string>();
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var request = new InjectXidRequest { Xid = 79, GpuId = 0, FaultId = $"{_runId}-{i}", Message = $"{_runId} #{i}" };
            if (i % 3 == 0)
            {
                request.Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(2));
            }

            ids.Add((await _cluster.CallAgentAsync(0, (c, m) => c.InjectXidAsync(request, m))).Fault.FaultId);
        }

        var untimed = ids.Where((_, i) => i % 3 != 0).ToList();
        var acknowledged = 0;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clears = Enumerable.Range(0, 8).Select(stream => Task.Run(async () =>
        {
            foreach (var id in untimed.Where((_, index) => index % 8 == stream))
            {
                try
                {
                    await _cluster.CallAgentAsync(0, (c, m) => c.ClearFaultAsync(new ClearFaultRequest { FaultId = id, Reason = "clear burst" }, m));
                }
                catch (RpcException)
                {
                    return; // the kill
                }

                lock (cleared)
                {
                    cleared.Add(id);
                }

                if (Interlocked.Increment(ref acknowledged) == 10)
                {
                    reached.TrySetResult();
                }
            }
        })).ToList();
        await Task.WhenAny(reached.Task, Task.WhenAll(clears));
        await _cluster.StopAgentAsync(0);
        await Task.WhenAll(clears);
        await _cluster.StartAgentAsync(0);
        await _cluster.WaitUntilTheApiReachesAsync(Node);

        var timed = ids.Where((_, i) => i % 3 == 0).ToList();
        await Eventually.TrueAsync(
            async () => (await AgentListAsync(activeOnly: false)).Values.Where(f => timed.Contains(f.FaultId)).All(f => f.State != FaultState.Active),
            "the timed faults' 2 s to run out");
        var agent = await AgentListAsync(activeOnly: false);
        Assert.Equal(ids.Order(StringComparer.Ordinal), agent.Keys.Order(StringComparer.Ordinal));
        Assert.All(cleared, id => Assert.Equal(FaultState.Cleared, agent[id].State));
        Assert.Contains(agent.Values, f => f.State == FaultState.Active); // the kill left some of the burst uncleared

        // The API's list of the node, whole and active only, and each fault by id: the agent's states and end times.
        var listed = await ApiListAsync($"/api/v1/faults?node={Node}&limit=1000");
        Assert.Equal(agent.Keys.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        Assert.All(agent.Values, f => Assert.Equal(Expected(f), listed[f.FaultId]));
        var activeListed = await ApiListAsync($"/api/v1/faults?node={Node}&active_only=true&limit=1000");
        var activeAgent = await AgentListAsync(activeOnly: true);
        Assert.Equal(activeAgent.Keys.Order(StringComparer.Ordinal), activeListed.Keys.Order(StringComparer.Ordinal));
        foreach (var fault in agent.Values)
        {
            using var response = await _cluster.Client.GetAsync(new Uri($"/api/v1/faults/{fault.FaultId}?node={Node}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Expected(fault), Read(await response.Content.ReadFromJsonAsync<JsonElement>()));
        }
    }

    internal static (string State, string? EndedAt) Expected(Fault fault) =>
        (FaultResourceMapper.StateName(fault.State), fault.EndedAt?.ToDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    internal static (string State, string? EndedAt) Read(JsonElement fault) =>
        (fault.GetProperty("state").GetString()!, fault.GetProperty("ended_at").ValueKind == JsonValueKind.Null ? null : fault.GetProperty("ended_at").GetDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    private Task<Dictionary<string, Fault>> AgentListAsync(bool activeOnly) => AgentListAsync(_cluster, 0, activeOnly);

    private Task<Dictionary<string, (string State, string? EndedAt)>> ApiListAsync(string uri) => ApiListAsync(_cluster.Client, uri);

    /// <summary>Agent <paramref name="i"/>'s ListFaults (one page of up to 1,000), by fault id.</summary>
    internal static async Task<Dictionary<string, Fault>> AgentListAsync(RealAgentCluster cluster, int i, bool activeOnly)
    {
        var page = await cluster.CallAgentAsync(i, (c, m) => c.ListFaultsAsync(new ListFaultsRequest { PageSize = 1000, ActiveOnly = activeOnly }, m));
        Assert.Empty(page.NextPageToken);
        return page.Faults.ToDictionary(f => f.FaultId);
    }

    /// <summary>An API list (one page, no agent errors): each fault's state and end time, by fault id.</summary>
    internal static async Task<Dictionary<string, (string State, string? EndedAt)>> ApiListAsync(HttpClient client, string uri)
    {
        using var response = await client.GetAsync(new Uri(uri, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(page.GetProperty("errors").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page_token").ValueKind);
        return page.GetProperty("faults").EnumerateArray().ToDictionary(f => f.GetProperty("fault_id").GetString()!, Read);
    }
}
