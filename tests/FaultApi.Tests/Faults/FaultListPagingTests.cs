using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Faults;

/// <summary>
/// The real API in front of a real agent that holds more faults than one page of its ListFaults (500 by default):
/// GET /api/v1/faults follows the agent's next_page_token and lists every one of them, instead of the first page only.
/// The faults are the journaled copies of one real injection, so the kernel log gets one line, not hundreds.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultListPagingTests : IAsyncLifetime
{
    private const string NodeName = "gpu-node-pages";
    private readonly string _marker = "pg" + Guid.NewGuid().ToString("N")[..10];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes: dmesg afterwards may have lost its records to other writers
    private ApiOverRealAgent? _cluster;

    public async Task InitializeAsync() => _cluster = await ApiOverRealAgent.StartAsync(NodeName);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _kernelLog.Dispose();
    }

    [RootFact]
    public async Task ListFaults_AgentWithMoreFaultsThanOnePage_EveryFaultListed()
    {
        using var http = _cluster!.Api.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);
        using (var injected = await http.PostAsJsonAsync(
            "/api/v1/faults/gpu/inject/xid-79", new { node_name = NodeName, gpu_id = 0, fault_id = "pages-0", process_name = _marker, pid = 4242 }))
        {
            Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        }

        await _cluster.StopAgentAsync();
        var copies = RecordedFaultCopies.Append(_cluster.StateDirectory, "pages-0", "pages", 700);
        await _cluster.StartAgentAsync();

        var listed = default(JsonElement);
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await http.GetAsync(new Uri($"/api/v1/faults?node={NodeName}&active_only=true", UriKind.Relative));
                listed = await response.Content.ReadFromJsonAsync<JsonElement>();
                return response.StatusCode == HttpStatusCode.OK && listed.GetProperty("errors").GetArrayLength() == 0;
            },
            "the API to reach the restarted agent");

        var ids = listed.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("fault_id").GetString()!).ToList();
        Assert.Equal(701, listed.GetProperty("count").GetInt32());
        Assert.Equal(copies.Append("pages-0").Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Single(_kernelLog.SnapshotContaining(_marker), l => l.Contains("Xid", StringComparison.Ordinal));
    }
}
