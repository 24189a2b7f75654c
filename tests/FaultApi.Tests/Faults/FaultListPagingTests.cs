using System.Globalization;
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
public sealed class FaultListPagingTests : IAsyncLifetime, IDisposable
{
    private const string NodeName = "gpu-node-pages";
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly string _marker = "pg" + Guid.NewGuid().ToString("N")[..10];
    private System.Net.IPAddress _address = null!;
    private int _port;
    private string _state = "";
    private string _tokenFile = "";
    private RealAgentProcess? _agent;
    private ApiApplicationFactory? _api;

    public async Task InitializeAsync()
    {
        _address = LoopbackAddresses.Allocate(1)[0];
        _port = LoopbackAddresses.FreePort(_address);
        _tokenFile = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(_tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        _state = Directory.CreateDirectory(_directory.Combine("state")).FullName;
        _agent = await StartAgentAsync();
        _api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            [$"Routing:Static:Nodes:{NodeName}"] = _agent.GrpcAddress.ToString(),
            ["Routing:AgentGrpcPort"] = _port.ToString(CultureInfo.InvariantCulture),
        });
        _api.UseKestrel(0);
        _api.StartServer();
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _api?.Dispose();
        _target.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task ListFaults_AgentWithMoreFaultsThanOnePage_EveryFaultListed()
    {
        using var http = _api!.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);
        using (var injected = await http.PostAsJsonAsync(
            "/api/v1/faults/gpu/inject/xid-79", new { node_name = NodeName, gpu_id = 0, fault_id = "pages-0", process_name = _marker, pid = 4242 }))
        {
            Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        }

        await _agent!.DisposeAsync();
        var copies = RecordedFaultCopies.Append(_state, "pages-0", "pages", 700);
        _agent = await StartAgentAsync();

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
        Assert.Single(await HostKernelLogReader.ReadContainingAsync(_marker), l => l.Contains("Xid", StringComparison.Ordinal));
    }

    private Task<RealAgentProcess> StartAgentAsync() =>
        RealAgentProcess.StartAsync(NodeName, _address, _port, Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"), _target.Pid, _state, _tokenFile);
}
