using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Dcgm;

/// <summary>
/// DCGM through the API, end to end: the real API routing to real agents that write the machine's real kernel log and
/// run the stand-in dcgmi on their host (<see cref="DcgmCluster"/>). What the issue's "done when" asks, on this cluster:
/// an Xid with <c>surfaces: ["kmsg","dcgm"]</c> writes verified records and a verified field 230; clearing restores and
/// verifies it; an unreachable hostengine is a clear 502 problem and leaves nothing on record.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmRoutesTests : IClassFixture<DcgmCluster>, IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private static readonly string[] BothSurfaces = ["kmsg", "dcgm"];
    private static readonly string[] DcgmOnly = ["dcgm"];
    private readonly DcgmCluster _cluster;
    private readonly string _marker = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes: dmesg afterwards may have lost its records to other writers

    public DcgmRoutesTests(DcgmCluster cluster)
    {
        _cluster = cluster;
    }

    public void Dispose() => _kernelLog.Dispose();

    private HttpClient Client => _cluster.Client;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [RootFact]
    public async Task InjectXid_KmsgAndDcgmSurfaces_VerifiedKernelRecordsAndVerifiedField230()
    {
        using var response = await Client.PostAsJsonAsync(
            new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative),
            new { node_name = DcgmCluster.DcgmNode, gpu_id = 0, pid = 4242, process_name = _marker, surfaces = BothSurfaces });
        var fault = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("injected", fault.GetProperty("status").GetString());
        Assert.Equal(["kmsg", "dcgm"], fault.GetProperty("surfaces").EnumerateArray().Select(s => s.GetString()));
        var record = Assert.Single(fault.GetProperty("records").EnumerateArray(), r => r.GetProperty("text").GetString()!.Contains(_marker, StringComparison.Ordinal)); // beside the driver's companion records
        Assert.NotEqual(0UL, record.GetProperty("sequence").GetUInt64());
        Assert.Equal([record.GetProperty("text").GetString()!], _kernelLog.SnapshotContaining(_marker));
        var write = Assert.Single(fault.GetProperty("dcgm_writes").EnumerateArray());
        Assert.Equal(230, write.GetProperty("field_id").GetInt32());
        Assert.Equal("DCGM_FI_DEV_XID_ERRORS", write.GetProperty("field_name").GetString());
        Assert.Equal(DcgmCluster.DcgmGpuIdOf(0), write.GetProperty("dcgm_gpu_id").GetInt32());
        Assert.Equal("localhost", write.GetProperty("host_engine").GetString());
        Assert.Equal("79", write.GetProperty("read_back").GetString());
        Assert.Equal(JsonValueKind.Null, write.GetProperty("restore_state").ValueKind);
        Assert.Equal(79, _cluster.Dcgmi.Value(DcgmCluster.DcgmGpuIdOf(0), 230));
    }

    [RootFact]
    public async Task ClearFault_XidOnBothSurfaces_Field230RestoredAndVerified()
    {
        using var injected = await Client.PostAsJsonAsync(
            new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative),
            new { node_name = DcgmCluster.DcgmNode, gpu_id = 3, pid = 4242, process_name = _marker, surfaces = BothSurfaces });
        var faultId = (await JsonAsync(injected)).GetProperty("fault_id").GetString();
        Assert.Equal(79, _cluster.Dcgmi.Value(DcgmCluster.DcgmGpuIdOf(3), 230));

        using var cleared = await Client.DeleteAsync(new Uri($"/api/v1/faults/{faultId}", UriKind.Relative));
        var fault = await JsonAsync(cleared);

        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal("cleared", fault.GetProperty("state").GetString());
        var write = Assert.Single(fault.GetProperty("dcgm_writes").EnumerateArray());
        Assert.Equal("restored", write.GetProperty("restore_state").GetString());
        Assert.Equal("0", write.GetProperty("restore_value").GetString());
        Assert.Equal("0", write.GetProperty("restored_read_back").GetString());
        Assert.Equal(0, _cluster.Dcgmi.Value(DcgmCluster.DcgmGpuIdOf(3), 230));
    }

    [RootFact]
    public async Task InjectXid_HostEngineUnreachable_502ProblemNoKernelLineNothingOnRecord()
    {
        using var response = await Client.PostAsJsonAsync(
            new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative),
            new { node_name = DcgmCluster.UnreachableNode, gpu_id = 0, pid = 4242, process_name = _marker, surfaces = BothSurfaces });

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadGateway);
        Assert.Equal("DCGM hostengine unreachable", problem.GetProperty("title").GetString());
        Assert.Equal("DCGM_HOSTENGINE_UNREACHABLE", problem.GetProperty("reason").GetString());
        Assert.Equal(DcgmCluster.UnreachableAddress, problem.GetProperty("host_engine").GetString());
        Assert.Equal(DcgmCluster.UnreachableNode, problem.GetProperty("node_name").GetString());
        Assert.Contains($"specified host: {DcgmCluster.UnreachableAddress}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_kernelLog.SnapshotContaining(_marker));
        using var list = await Client.GetAsync(new Uri($"/api/v1/faults?node={DcgmCluster.UnreachableNode}", UriKind.Relative));
        Assert.Equal(0, (await JsonAsync(list)).GetProperty("count").GetInt32());
    }

    [RootTheory]
    [InlineData("311")]
    [InlineData("\"311\"")]
    [InlineData("\"DCGM_FI_DEV_ECC_DBE_VOL_TOTAL\"")]
    public async Task InjectDcgmField_FieldByIdOrName_VerifiedAndRecordedAsADcgmFieldFault(string field)
    {
        var gpu = 5;
        using var response = await Client.PostAsync(
            new Uri("/api/v1/faults/gpu/inject/dcgm-field", UriKind.Relative),
            new StringContent($$"""{"node_name": "{{DcgmCluster.DcgmNode}}", "gpu_id": {{gpu}}, "field": {{field}}, "value": 1, "duration": 600}""", System.Text.Encoding.UTF8, "application/json"));
        var fault = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("dcgm_field", fault.GetProperty("kind").GetString());
        Assert.Equal("gpu_dcgm_field_311", fault.GetProperty("fault_type").GetString());
        Assert.Equal($"{DcgmCluster.DcgmNode}/gpu{gpu}", fault.GetProperty("target").GetString());
        Assert.Equal(["dcgm"], fault.GetProperty("surfaces").EnumerateArray().Select(s => s.GetString()));
        Assert.Empty(fault.GetProperty("records").EnumerateArray());
        var write = Assert.Single(fault.GetProperty("dcgm_writes").EnumerateArray());
        Assert.Equal("1", write.GetProperty("read_back").GetString());
        Assert.Equal(1, _cluster.Dcgmi.Value(DcgmCluster.DcgmGpuIdOf(gpu), 311));
        using var cleared = await Client.DeleteAsync(new Uri($"/api/v1/faults/{fault.GetProperty("fault_id").GetString()}", UriKind.Relative));
        Assert.Equal("restored", (await JsonAsync(cleared)).GetProperty("dcgm_writes")[0].GetProperty("restore_state").GetString());
    }

    [RootTheory]
    [InlineData("""{"node_name": "gpu-node-001", "gpu_id": 0, "field": "DCGM_FI_DEV_GPU_TEMP", "value": 1}""", "field")]
    [InlineData("""{"node_name": "gpu-node-001", "gpu_id": 0, "value": 1}""", "field")]
    [InlineData("""{"node_name": "gpu-node-001", "gpu_id": 0, "field": 230}""", "value")]
    [InlineData("""{"node_name": "gpu-node-001", "gpu_id": 0, "field": 230, "value": 1000}""", "value")]
    [InlineData("""{"node_name": "gpu-node-001", "gpu_id": 0, "field": 230, "value": 79, "duration": -1}""", "duration")]
    public async Task InjectDcgmField_BadBody_400ProblemNamingTheFieldAndDcgmUntouched(string body, string field)
    {
        var calls = _cluster.Dcgmi.Calls.Count;

        using var response = await Client.PostAsync(new Uri("/api/v1/faults/gpu/inject/dcgm-field", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(calls, _cluster.Dcgmi.Calls.Count);
    }

    [RootFact]
    public async Task InjectDcgmField_DryRun_TheMappedGpuAndValueNowWrittenNothing()
    {
        using var response = await Client.PostAsJsonAsync(
            new Uri("/api/v1/faults/gpu/inject/dcgm-field", UriKind.Relative),
            new { node_name = DcgmCluster.DcgmNode, gpu_id = 6, field = "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", value = 500, dry_run = true });
        var fault = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("dry_run", fault.GetProperty("status").GetString());
        var write = fault.GetProperty("dcgm_writes")[0];
        Assert.Equal(DcgmCluster.DcgmGpuIdOf(6), write.GetProperty("dcgm_gpu_id").GetInt32());
        Assert.Equal("N/A", write.GetProperty("value_before").GetString());
        Assert.Null(_cluster.Dcgmi.Value(DcgmCluster.DcgmGpuIdOf(6), 202));
    }

    [RootFact]
    public async Task GetDcgmFields_Catalog_EveryFieldWithNamesAndAlertValues()
    {
        using var response = await Client.GetAsync(new Uri("/api/v1/faults/gpu/dcgm-fields", UriKind.Relative));
        var catalog = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fields = catalog.GetProperty("fields").EnumerateArray().ToList();
        Assert.True(fields.Count >= 10);
        var xid = fields.Single(f => f.GetProperty("field_id").GetInt32() == 230);
        Assert.Equal("DCGM_FI_DEV_XID_ERRORS", xid.GetProperty("name").GetString());
        Assert.Equal("DCGM_FI_DEV_XID_ERROR", xid.GetProperty("new_name").GetString());
        Assert.Equal("79", xid.GetProperty("alert_value").GetString());
        Assert.Contains("GpuXidError", xid.GetProperty("monitors").GetString(), StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData("/api/v1/faults/gpu/inject/xid-79", """{"node_name": "gpu-node-001", "gpu_id": 0, "surfaces": ["syslog"]}""")]
    [InlineData("/api/v1/faults/gpu/inject/xid-79", """{"node_name": "gpu-node-001", "gpu_id": 0, "surfaces": ["dcgm", "dcgm"]}""")]
    [InlineData("/api/v1/faults/gpu/inject/sxid-12028", """{"node_name": "gpu-node-001", "nvswitch": 0, "link": 3, "surfaces": ["kmsg", "dcgm"]}""")]
    public async Task Inject_BadSurfaces_400NamingSurfaces(string route, string body)
    {
        using var response = await Client.PostAsync(new Uri(route, UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("surfaces", out _), problem.ToString());
    }

    [RootFact]
    public async Task EmergencyStop_ActiveDcgmFault_FieldTakenBackByTheAgent()
    {
        using var injected = await Client.PostAsJsonAsync(
            new Uri("/api/v1/faults/gpu/inject/xid-48", UriKind.Relative),
            new { node_name = DcgmCluster.DcgmNode, gpu_id = 7, pid = 4242, process_name = _marker, surfaces = DcgmOnly });
        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        Assert.Equal(48, _cluster.Dcgmi.Value(DcgmCluster.DcgmGpuIdOf(7), 230));

        using var stop = await Client.PostAsJsonAsync(new Uri("/api/v1/stop", UriKind.Relative), new { reason = "dcgm drill went wrong" });
        try
        {
            Assert.True(stop.IsSuccessStatusCode, await stop.Content.ReadAsStringAsync());
            await Eventually.TrueAsync(() => Task.FromResult(_cluster.Dcgmi.Value(DcgmCluster.DcgmGpuIdOf(7), 230) == 0), "the stopped fault's field 230 to be taken back", Generous);
        }
        finally
        {
            using var release = await Client.DeleteAsync(new Uri("/api/v1/stop", UriKind.Relative));
        }
    }

    [RootFact]
    public async Task ClearFault_CallerGoesAwayWhileTheAgentWritesTheValueBack_WrittenBackOnce_TheNextClearAnswersTheClearedFault()
    {
        // The hostengine answers each dcgmi command a second late; the caller of DELETE /api/v1/faults/{id} goes away
        // once the value is back in DCGM (the write-back's read-back still to come): the API's call to the agent is
        // cancelled with it. The value must be written back once, and the fault end once.
        var gpu = DcgmCluster.DcgmGpuIdOf(5);
        using var injected = await Client.PostAsJsonAsync(
            new Uri("/api/v1/faults/gpu/inject/dcgm-field", UriKind.Relative),
            new { node_name = DcgmCluster.DcgmNode, gpu_id = 5, field = "DCGM_FI_DEV_XID_ERRORS", value = 31 });
        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        var faultId = (await JsonAsync(injected)).GetProperty("fault_id").GetString()!;
        var before = _cluster.Dcgmi.Writes.Count(w => w.Gpu == gpu && w.Field == 230);
        JsonElement fault;
        _cluster.Dcgmi.SetAnswerDelay(1);
        try
        {
            using var caller = new CancellationTokenSource();
            var clear = Client.DeleteAsync(new Uri($"/api/v1/faults/{faultId}?node={DcgmCluster.DcgmNode}&reason=gone", UriKind.Relative), caller.Token);
            await Eventually.TrueAsync(() => Task.FromResult(_cluster.Dcgmi.Writes.Count(w => w.Gpu == gpu && w.Field == 230) > before), "the write-back stored in DCGM", Generous);
            await caller.CancelAsync();
            await clear.ContinueWith(_ => { }, TaskScheduler.Default);
            await Eventually.TrueAsync(
                async () =>
                {
                    using var read = await Client.GetAsync(new Uri($"/api/v1/faults/{faultId}?node={DcgmCluster.DcgmNode}", UriKind.Relative));
                    return (await JsonAsync(read)).GetProperty("dcgm_writes")[0].GetProperty("restore_state").GetString() == "restored";
                },
                "the write-back recorded",
                Generous);
        }
        finally
        {
            _cluster.Dcgmi.SetAnswerDelay(0);
        }

        using (var read = await Client.GetAsync(new Uri($"/api/v1/faults/{faultId}?node={DcgmCluster.DcgmNode}", UriKind.Relative)))
        {
            fault = await JsonAsync(read);
        }

        Assert.Equal([31L, 0L], _cluster.Dcgmi.Writes.Where(w => w.Gpu == gpu && w.Field == 230).Skip(before - 1).Select(w => w.Value));
        Assert.Equal(0, _cluster.Dcgmi.Value(gpu, 230));
        Assert.Equal("cleared", fault.GetProperty("state").GetString());

        using var again = await Client.DeleteAsync(new Uri($"/api/v1/faults/{faultId}?node={DcgmCluster.DcgmNode}&reason=again", UriKind.Relative));
        var answered = await JsonAsync(again);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("cleared", answered.GetProperty("state").GetString());
        Assert.Equal(fault.GetProperty("ended_at").GetDateTimeOffset(), answered.GetProperty("ended_at").GetDateTimeOffset());
        Assert.Equal(fault.GetProperty("ended_reason").GetString(), answered.GetProperty("ended_reason").GetString());
        Assert.EndsWith(": gone", answered.GetProperty("ended_reason").GetString(), StringComparison.Ordinal);
        Assert.Equal([31L, 0L], _cluster.Dcgmi.Writes.Where(w => w.Gpu == gpu && w.Field == 230).Skip(before - 1).Select(w => w.Value));
    }
}
