using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace FaultAgent.Tests.Grpc;

/// <summary>The contract over real Kestrel on loopback with the generated client.</summary>
public sealed class FaultAgentGrpcTests : IDisposable
{
    private readonly InMemoryKernelLog _kernelLog = new();
    private readonly AgentApplicationFactory _factory;
    private readonly FaultInjection.Agent.V1.FaultAgent.FaultAgentClient _client;

    public FaultAgentGrpcTests()
    {
        _factory = new AgentApplicationFactory(configureServices: services => FakeAgentParts.Register(services, _kernelLog));
        _client = _factory.CreateGrpcClient();
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task InjectXid_ValidRequest_WritesLineAndRecordsWhoAsked()
    {
        var response = await _client.InjectXidAsync(
            new InjectXidRequest { FaultId = "drill-1", Xid = 79, GpuId = 0, Duration = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) },
            AgentApplicationFactory.Auth(onBehalfOf: "alice@example.com"));

        var fault = response.Fault;
        Assert.False(response.Replayed);
        Assert.Equal("drill-1", fault.FaultId);
        Assert.Equal("node-a", fault.NodeName);
        Assert.Equal(FaultState.Active, fault.State);
        Assert.Equal("gpu_xid_79", fault.FaultType);
        Assert.Equal("0000:3b:00.0", fault.PciBusId);
        Assert.Equal("GPU-11111111-2222-3333-4444-555555555555", fault.GpuUuid);
        Assert.Equal($"{AgentApplicationFactory.ApiTokenName}/alice@example.com", fault.Caller);
        Assert.Equal(fault.InjectedAt.ToDateTimeOffset() + TimeSpan.FromMinutes(5), fault.ExpiresAt.ToDateTimeOffset());
        var written = Assert.Single(_kernelLog.Records);
        var record = Assert.Single(fault.Records);
        Assert.Equal(written.Text, record.Text);
        Assert.Equal(written.Sequence, record.Sequence);
        Assert.Equal("NVRM: " + fault.Line, record.Text);
        Assert.False(string.IsNullOrEmpty(fault.BootId));
    }

    [Fact]
    public async Task ListGetClear_AfterInjection_ShowLifecycleAndKeepRecord()
    {
        await _client.InjectXidAsync(new InjectXidRequest { FaultId = "a", Xid = 79, GpuId = 0 }, AgentApplicationFactory.Auth());
        await _client.InjectXidAsync(new InjectXidRequest { FaultId = "b", Xid = 13, GpuId = 1 }, AgentApplicationFactory.Auth());

        var cleared = await _client.ClearFaultAsync(new ClearFaultRequest { FaultId = "a", Reason = "drill over" }, AgentApplicationFactory.Auth(onBehalfOf: "bob"));

        Assert.Equal(FaultState.Cleared, cleared.State);
        Assert.Equal($"cleared by {AgentApplicationFactory.ApiTokenName}/bob: drill over", cleared.EndedReason);
        var all = await _client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth());
        Assert.Equal(["a", "b"], all.Faults.Select(f => f.FaultId));
        var active = await _client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth());
        Assert.Equal("b", Assert.Single(active.Faults).FaultId);
        var got = await _client.GetFaultAsync(new GetFaultRequest { FaultId = "a" }, AgentApplicationFactory.Auth());
        Assert.Equal(cleared, got);
        Assert.Equal(2, _kernelLog.Records.Count);
    }

    [Fact]
    public async Task InjectXid_RetryWithSameIdempotencyKey_ReplaysAndWritesOnce()
    {
        var request = new InjectXidRequest { Xid = 79, GpuId = 0, IdempotencyKey = "retry-1" };

        var first = await _client.InjectXidAsync(request, AgentApplicationFactory.Auth());
        var second = await _client.InjectXidAsync(request, AgentApplicationFactory.Auth());

        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Assert.Equal(first.Fault, second.Fault);
        Assert.StartsWith("fault-", first.Fault.FaultId, StringComparison.Ordinal);
        Assert.Single(_kernelLog.Records);
    }

    [Fact]
    public async Task InjectXid_ConcurrentDuplicates_WriteOnceAndAllGetTheSameFault()
    {
        var request = new InjectXidRequest { FaultId = "parallel", Xid = 79, GpuId = 0 };

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync));

        Assert.Single(_kernelLog.Records);
        Assert.Single(responses, r => !r.Replayed);
        Assert.All(responses, r => Assert.Equal(responses[0].Fault, r.Fault));
    }

    [Fact]
    public async Task InjectXid_SameKeyDifferentRequest_AlreadyExists()
    {
        await _client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, IdempotencyKey = "k" }, AgentApplicationFactory.Auth());

        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 1, IdempotencyKey = "k" }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("idempotency_key", error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Metadata["field"]);
        Assert.Single(_kernelLog.Records);
    }

    [Fact]
    public async Task InjectXid_DryRun_ReturnsExactRecordsAndWritesNothing()
    {
        var response = await _client.InjectXidAsync(new InjectXidRequest { FaultId = "dry", Xid = 79, GpuId = 1, DryRun = true, CompanionLines = true }, AgentApplicationFactory.Auth());

        Assert.True(response.DryRun);
        Assert.Equal(2, response.Fault.Records.Count);
        Assert.All(response.Fault.Records, r => Assert.Equal(0UL, r.Sequence));
        Assert.Equal("NVRM: NVRM: Xid (PCI:0000:5e:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.", response.Fault.Records[1].Text);
        Assert.Equal(3, response.Fault.Records[1].Level);
        Assert.Empty(_kernelLog.Records);
        Assert.Empty((await _client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-valid-token-0000000000")]
    [InlineData("")]
    public async Task InjectXid_MissingOrWrongToken_UnauthenticatedAndNothingWritten(string? token)
    {
        var headers = token is null ? new Metadata() : new Metadata { { "authorization", $"Bearer {token}" } };

        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0 }, headers).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Empty(_kernelLog.Records);
    }

    [Fact]
    public async Task ListFaults_WrongToken_Unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth("wrong-token-000000000000")).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("not accepted", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_WithoutToken_Serving()
    {
        _factory.CreateClient(out var channel);
        var health = new Health.HealthClient(channel);

        await Eventually.TrueAsync(
            async () => (await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving,
            "the agent to report SERVING");
    }

    [Fact]
    public async Task Reflection_WithToken_ListsFaultAgentService()
    {
        _factory.CreateClient(out var channel);
        var reflection = new ServerReflection.ServerReflectionClient(channel);

        using var call = reflection.ServerReflectionInfo(AgentApplicationFactory.Auth());
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "faultinjection.agent.v1.FaultAgent");
    }

    [Fact]
    public async Task InjectXid_BadFields_InvalidArgumentWithEveryFieldViolation()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.InjectXidAsync(
            new InjectXidRequest
            {
                FaultId = "bad id!",
                Xid = 0,
                GpuId = 0,
                Message = "two\nlines",
                Duration = new Duration { Seconds = -5 },
                IdempotencyKey = "has space",
            },
            AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(
            ["duration", "fault_id", "idempotency_key", "message", "xid"],
            badRequest.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
        Assert.Empty(_kernelLog.Records);
    }

    [Fact]
    public async Task InjectXid_UnknownXidWithoutMessage_InvalidArgumentOnMessage()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectXidAsync(new InjectXidRequest { Xid = 555, GpuId = 0 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("message", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Empty(_kernelLog.Records);
    }

    [Fact]
    public async Task InjectXid_UnknownGpu_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 7 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("gpu_id", error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Metadata["field"]);
        Assert.Empty(_kernelLog.Records);
    }

    [Fact]
    public async Task InjectXid_KernelLogUnavailable_FailedPreconditionAndNothingRecorded()
    {
        _kernelLog.FailNextWrite = new FaultAgent.Injection.KernelLogUnavailableException("cannot open /dev/kmsg");

        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectXidAsync(new InjectXidRequest { FaultId = "x", Xid = 79, GpuId = 0 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Empty((await _client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [Fact]
    public async Task InjectXid_RecordLost_UnavailableAndNothingRecorded()
    {
        _kernelLog.FailNextWrite = new FaultAgent.Injection.KernelLogRecordLostException("record 12 never appeared");

        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectXidAsync(new InjectXidRequest { FaultId = "x", Xid = 79, GpuId = 0 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Empty((await _client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [Fact]
    public async Task GetFault_UnknownId_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.GetFaultAsync(new GetFaultRequest { FaultId = "missing" }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ClearFault_EmptyId_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.ClearFaultAsync(new ClearFaultRequest(), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("fault_id", error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations[0].Field);
    }

    [Fact]
    public async Task InjectSxid_DiscoveredSwitch_WritesSxidLine()
    {
        var response = await _client.InjectSxidAsync(new InjectSxidRequest { FaultId = "sx", Sxid = 12028, Nvswitch = 0, Link = 3 }, AgentApplicationFactory.Auth());

        Assert.Equal(FaultKind.Sxid, response.Fault.Kind);
        Assert.Equal("0000:4e:00.0", response.Fault.PciBusId);
        Assert.Equal("nvswitch_sxid_12028", response.Fault.FaultType);
        Assert.Equal(response.Fault.Records[0].Text, Assert.Single(_kernelLog.Records).Text);
    }

    [Fact]
    public async Task InjectSxid_UnknownSwitch_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectSxidAsync(new InjectSxidRequest { Sxid = 12028, Nvswitch = 5 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ListGpusAndCatalog_WithToken_DescribeNode()
    {
        var gpus = await _client.ListGpusAsync(new ListGpusRequest(), AgentApplicationFactory.Auth());
        var catalog = await _client.GetCatalogAsync(new GetCatalogRequest(), AgentApplicationFactory.Auth());

        Assert.Equal([0, 1], gpus.Gpus.Select(g => g.GpuId));
        Assert.Equal("0000:3b:00", gpus.Gpus[0].XidPci);
        Assert.Equal((await File.ReadAllTextAsync("/proc/sys/kernel/random/boot_id")).Trim(), gpus.BootId);
        Assert.Contains(catalog.Xids, x => x.Xid == 79 && x.Severity == "critical");
    }

    [Fact]
    public async Task GetGpuTelemetry_NotServedByThisFeature_Unimplemented()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.GetGpuTelemetryAsync(new GetGpuTelemetryRequest(), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }
}
