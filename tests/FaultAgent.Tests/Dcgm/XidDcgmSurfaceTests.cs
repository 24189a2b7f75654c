using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaultAgent.Injection;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using ProtoRestoreState = FaultInjection.Agent.V1.DcgmRestoreState;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// An Xid on the <c>dcgm</c> surface over real Kestrel: the real kernel log (written from the stand-in host's mount
/// namespace, read back by <c>dmesg</c>) and DCGM field 230 through the stand-in dcgmi, in that order of proof, with
/// nothing half-done when either side fails. Device Minor 0 is DCGM GPU 1 in the stand-in.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class XidDcgmSurfaceTests : IClassFixture<HostNamespaceFixture>, IDisposable
{
    private static readonly string[] BothSurfaces = ["kmsg", "dcgm"];
    private readonly HostNamespaceFixture _host;
    private readonly string _marker = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes: dmesg afterwards may have lost its records to other writers

    public XidDcgmSurfaceTests(HostNamespaceFixture host)
    {
        _host = host;
    }

    public void Dispose() => _kernelLog.Dispose();

    private AgentApplicationFactory Agent(StandInDcgmi dcgmi, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Agent:Dcgm:DcgmiPath"] = dcgmi.Path };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new(_host.TargetPid, all, services);
    }

    private InjectXidRequest Xid(int xid, params string[] surfaces)
    {
        var request = new InjectXidRequest { Xid = xid, GpuId = 0, Pid = 4242, ProcessName = _marker };
        request.Surfaces.AddRange(surfaces);
        return request;
    }

    [RootFact]
    public async Task InjectXid_KmsgAndDcgm_VerifiedKernelLineAndField230EqualsTheXid()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var fault = (await client.InjectXidAsync(Xid(79, "kmsg", "dcgm"), AgentApplicationFactory.Auth())).Fault;

        Assert.Equal(["kmsg", "dcgm"], fault.Surfaces);
        var record = Assert.Single(fault.Records, r => r.Text.Contains(_marker, StringComparison.Ordinal)); // with the driver's companion records
        Assert.NotEqual(0UL, record.Sequence);
        Assert.Equal([record.Text], _kernelLog.SnapshotContaining(_marker));
        var write = Assert.Single(fault.DcgmWrites);
        Assert.Equal(230, write.FieldId);
        Assert.Equal("DCGM_FI_DEV_XID_ERRORS", write.FieldName);
        Assert.Equal(1, write.DcgmGpuId);
        Assert.Equal("79", write.Value);
        Assert.Equal("79", write.ReadBack);
        Assert.Equal(79, dcgmi.Value(1, 230));
    }

    [RootFact]
    public async Task ClearFault_XidOnBothSurfaces_Field230RestoredAndVerifiedLineKept()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var injected = (await client.InjectXidAsync(Xid(79, "kmsg", "dcgm"), AgentApplicationFactory.Auth())).Fault;

        var cleared = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = injected.FaultId }, AgentApplicationFactory.Auth());

        Assert.Equal(FaultState.Cleared, cleared.State);
        Assert.Equal(injected.Records.Select(r => r.Text), cleared.Records.Select(r => r.Text)); // a kernel-log line cannot be taken back
        Assert.Equal(ProtoRestoreState.Restored, cleared.DcgmWrites[0].RestoreState);
        Assert.Equal("0", cleared.DcgmWrites[0].RestoredReadBack);
        Assert.Equal(0, dcgmi.Value(1, 230));
    }

    [RootFact]
    public async Task InjectXid_DcgmOnly_NoKernelLineField230Set()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var fault = (await client.InjectXidAsync(Xid(48, "dcgm"), AgentApplicationFactory.Auth())).Fault;

        Assert.Equal(["dcgm"], fault.Surfaces);
        Assert.Empty(fault.Records);
        Assert.Equal("", fault.Line);
        Assert.Equal("gpu_xid_48", fault.FaultType);
        Assert.Equal(48, dcgmi.Value(1, 230));
        Assert.Empty(_kernelLog.SnapshotContaining(_marker));
    }

    [RootFact]
    public async Task InjectXid_NoSurfaces_KernelLogOnlyAndDcgmUntouched()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var fault = (await client.InjectXidAsync(Xid(79), AgentApplicationFactory.Auth())).Fault;

        Assert.Equal(["kmsg"], fault.Surfaces);
        Assert.Empty(fault.DcgmWrites);
        Assert.Empty(dcgmi.Calls);
    }

    [RootFact]
    public async Task InjectXid_HostEngineUnreachable_UnavailableNoKernelLineNothingRecorded()
    {
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.SetHostEngineRunning(false);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(Xid(79, "kmsg", "dcgm"), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("DCGM_HOSTENGINE_UNREACHABLE", e.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Empty(_kernelLog.SnapshotContaining(_marker));
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [RootFact]
    public async Task InjectXid_KernelLogDropsTheRecord_Field230TakenBackAndNothingRecorded()
    {
        var dcgmi = new StandInDcgmi(_host);
        var kernelLog = new InMemoryKernelLog { FailNextWrite = new KernelLogRecordLostException("record 12 never appeared") };
        await using var agent = Agent(dcgmi, s => FakeAgentParts.UseInMemoryKernelLog(s, kernelLog));
        var client = agent.CreateGrpcClient();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(Xid(79, "kmsg", "dcgm"), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        // Nothing in the kernel log or the registry, but DCGM held 79 (read back) until it was taken back: the refusal
        // names the field, so it is not "nothing written" (the API keeps the node's blast-radius reservation).
        var info = e.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("KERNEL_LOG_RECORD_LOST", info.Reason);
        Assert.Equal("230", info.Metadata["dcgm_fields_taken_back"]);
        Assert.Contains("DCGM field(s) 230 held the injected value(s) before this refusal", e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
        Assert.Equal(0, dcgmi.Value(1, 230)); // 79 was written, then taken back to the healthy value
        Assert.Equal(["79", "0"], dcgmi.Calls.Where(c => c[0] == "test").Select(c => c[^1]));
        Assert.DoesNotContain("\"op\":\"writing\"", OpenLedgerLines(agent), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task InjectXid_EmergencyStopEngaged_RefusedBeforeDcgmIsWritten()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        await client.SetEmergencyStopAsync(
            new SetEmergencyStopRequest { State = new EmergencyStopState { Engaged = true, Reason = "maintenance", Version = 1, ChangedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) } },
            AgentApplicationFactory.Auth());

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(Xid(79, "kmsg", "dcgm"), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.DoesNotContain(dcgmi.Calls, c => c[0] == "test");
        Assert.Null(dcgmi.Value(1, 230));
    }

    [RootTheory]
    [InlineData("Agent:Limits:MaxActiveFaults", "1")]
    [InlineData("Agent:Limits:InjectionBurst", "1")]
    public async Task InjectXid_NodeLimitReached_ResourceExhaustedBeforeDcgmIsWritten(string limit, string value)
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi, settings: new() { [limit] = value, ["Agent:Limits:InjectionsPerSecond"] = "0.001" });
        var client = agent.CreateGrpcClient();
        await client.InjectXidAsync(Xid(13), AgentApplicationFactory.Auth()); // takes the one place / the one token

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(Xid(79, "kmsg", "dcgm"), AgentApplicationFactory.Auth()).ResponseAsync);

        // A refused injection must not show in DCGM even for a moment: DCGM's XID policy would already have fired.
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.DoesNotContain(dcgmi.Calls, c => c[0] == "test");
        Assert.Null(dcgmi.Value(1, 230));
    }

    [RootTheory]
    [InlineData(new[] { "syslog" }, "surfaces")]
    [InlineData(new[] { "kmsg", "kmsg" }, "surfaces")]
    [InlineData(new[] { "DCGM" }, "surfaces")]
    public async Task InjectXid_BadSurfaces_InvalidArgumentAndNothingWritten(string[] surfaces, string field)
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(Xid(79, surfaces), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(field, Assert.Single(e.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.Empty(dcgmi.Calls);
        Assert.Empty(_kernelLog.SnapshotContaining(_marker));
    }

    [RootFact]
    public async Task InjectXid_CompanionLinesWithoutTheKernelLog_InvalidArgument()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var request = Xid(79, "dcgm");
        request.CompanionLines = true;

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal("companion_lines", Assert.Single(e.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.Empty(dcgmi.Calls);
    }

    [RootFact]
    public async Task InjectSxid_DcgmSurface_InvalidArgumentNvSwitchesAreNotDcgmiTargets()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var request = new InjectSxidRequest { Sxid = 12028, Nvswitch = 0, Link = 3 };
        request.Surfaces.AddRange(["kmsg", "dcgm"]);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectSxidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync);

        var violation = Assert.Single(e.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal("surfaces", violation.Field);
        Assert.Contains("NVSwitch", violation.Description, StringComparison.Ordinal);
        Assert.Empty(dcgmi.Calls);
    }

    [RootFact]
    public async Task InjectXid_SameKeyWithOtherSurfaces_ConflictAndDcgmUntouched()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var first = Xid(79);
        first.IdempotencyKey = "k-" + _marker;
        await client.InjectXidAsync(first, AgentApplicationFactory.Auth());
        var second = Xid(79, "kmsg", "dcgm");
        second.IdempotencyKey = first.IdempotencyKey;

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(second, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.Empty(dcgmi.Calls);
    }

    [RootFact]
    public async Task InjectXidHttp_SurfacesInTheBody_FaultJsonCarriesTheDcgmProof()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        using var http = agent.CreateHttpClient();

        using var response = await http.PostAsJsonAsync(new Uri("/inject-xid", UriKind.Relative), new { xid_type = 79, gpu_id = 0, pid = 4242, process_name = _marker, surfaces = BothSurfaces });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var fault = body["fault"]!;
        Assert.Equal("kmsg", fault["surfaces"]![0]!.GetValue<string>());
        Assert.Equal("dcgm", fault["surfaces"]![1]!.GetValue<string>());
        var write = fault["dcgm_writes"]![0]!;
        Assert.Equal(230, write["field_id"]!.GetValue<int>());
        Assert.Equal(1, write["dcgm_gpu_id"]!.GetValue<int>());
        Assert.Equal("79", write["read_back"]!.GetValue<string>());
        Assert.Null(write["needs_restore"]);
    }

    private static string OpenLedgerLines(AgentApplicationFactory agent)
    {
        var path = Path.Combine(agent.TestDirectory.Combine("state"), FaultAgent.Dcgm.DcgmWriteLedger.FileName);
        var lines = File.ReadAllLines(path);
        var settled = lines.Count(l => l.Contains("\"op\":\"settled\"", StringComparison.Ordinal));
        var writing = lines.Count(l => l.Contains("\"op\":\"writing\"", StringComparison.Ordinal));
        return writing > settled ? "\"op\":\"writing\"" : "";
    }
}
