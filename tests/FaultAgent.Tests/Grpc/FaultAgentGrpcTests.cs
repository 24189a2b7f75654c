using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace FaultAgent.Tests.Grpc;

/// <summary>
/// The contract over real Kestrel on loopback with the generated client, the real parts behind it: GPU discovery of a
/// test /proc tree, the embedded catalog, and the real kernel log writing the machine's /dev/kmsg from inside a mount
/// namespace the test owns. Every request names a process unique to this test run, so its lines can be told apart in
/// the shared kernel log.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultAgentGrpcTests : IAsyncLifetime
{
    private readonly string _marker = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes: dmesg afterwards may have lost its records to other writers
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
        _kernelLog.Dispose();
    }

    private IReadOnlyList<string> KernelLines() => _kernelLog.SnapshotContaining(_marker);

    private InjectXidRequest Xid(int xid, int gpuId, string? faultId = null) =>
        new() { Xid = xid, GpuId = gpuId, FaultId = faultId ?? "", Pid = 4242, ProcessName = _marker };

    [RootFact]
    public async Task InjectXid_ValidRequest_WritesLineAndRecordsWhoAsked()
    {
        var response = await _client.InjectXidAsync(
            new InjectXidRequest { FaultId = "drill-1", Xid = 79, GpuId = 0, Duration = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), Pid = 4242, ProcessName = _marker },
            AgentApplicationFactory.Auth(onBehalfOf: "alice@example.com"));

        var fault = response.Fault;
        Assert.False(response.Replayed);
        Assert.Equal("drill-1", fault.FaultId);
        Assert.Equal("node-a", fault.NodeName);
        Assert.Equal(FaultState.Active, fault.State);
        Assert.Equal("gpu_xid_79", fault.FaultType);
        Assert.Equal("0000:3b:00.0", fault.PciBusId);
        Assert.Equal(TestProcRoot.Gpu0Uuid, fault.GpuUuid);
        Assert.Equal($"NVRM: Xid (PCI:0000:3b:00): 79, pid=4242, name={_marker}, GPU has fallen off the bus.", fault.Line);
        Assert.Equal("critical", fault.Severity);
        Assert.Equal("RESTART_BM", fault.RecommendedAction);
        Assert.Equal($"{AgentApplicationFactory.ApiTokenName}/alice@example.com", fault.Caller);
        Assert.Equal(fault.InjectedAt.ToDateTimeOffset() + TimeSpan.FromMinutes(5), fault.ExpiresAt.ToDateTimeOffset());
        // The node's driver is 535.161.08 (its /proc/driver/nvidia/version): GPU 0's first Xid in this boot comes after the
        // driver's GPU-at preamble, and Xid 79 is followed by the fallen-off line; no nvidia-smi here, so no serial lines.
        Assert.Equal(
            [$"NVRM: NVRM: GPU at PCI:0000:3b:00: {TestProcRoot.Gpu0Uuid}", "NVRM: " + fault.Line, "NVRM: NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus."],
            fault.Records.Select(r => r.Text));
        var record = fault.Records[1];
        Assert.Equal(record.Text, Assert.Single(KernelLines()));
        Assert.All(fault.Records, r => Assert.True(r.Sequence > 0));
        Assert.All(fault.Records, r => Assert.Equal(1, r.Facility));
        Assert.All(fault.Records, r => Assert.Equal(4, r.Level));
        Assert.Equal("535.161.08", fault.DriverVersion);
        Assert.Equal("node", fault.DriverVersionSource);
        Assert.Equal("r565", fault.LineForm);
        Assert.Contains(fault.Notes, n => n.Contains("board serial is unknown", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(fault.BootId));
    }

    [RootFact]
    public async Task ListGetClear_AfterInjection_ShowLifecycleAndKeepRecord()
    {
        await _client.InjectXidAsync(Xid(79, 0, "a"), AgentApplicationFactory.Auth());
        await _client.InjectXidAsync(Xid(13, 1, "b"), AgentApplicationFactory.Auth());

        var cleared = await _client.ClearFaultAsync(new ClearFaultRequest { FaultId = "a", Reason = "drill over" }, AgentApplicationFactory.Auth(onBehalfOf: "bob"));

        Assert.Equal(FaultState.Cleared, cleared.State);
        Assert.Equal($"cleared by {AgentApplicationFactory.ApiTokenName}/bob: drill over", cleared.EndedReason);
        var all = await _client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth());
        Assert.Equal(["a", "b"], all.Faults.Select(f => f.FaultId));
        var active = await _client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth());
        Assert.Equal("b", Assert.Single(active.Faults).FaultId);
        var got = await _client.GetFaultAsync(new GetFaultRequest { FaultId = "a" }, AgentApplicationFactory.Auth());
        Assert.Equal(cleared, got);
        Assert.Equal(2, KernelLines().Count);
    }

    [RootFact]
    public async Task InjectXid_RetryWithSameIdempotencyKey_ReplaysAndWritesOnce()
    {
        var request = Xid(79, 0);
        request.IdempotencyKey = "retry-1";

        var first = await _client.InjectXidAsync(request, AgentApplicationFactory.Auth());
        var second = await _client.InjectXidAsync(request, AgentApplicationFactory.Auth());

        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Assert.Equal(first.Fault, second.Fault);
        Assert.StartsWith("fault-", first.Fault.FaultId, StringComparison.Ordinal);
        Assert.Single(KernelLines());
    }

    [RootFact]
    public async Task InjectXid_ConcurrentDuplicates_WriteOnceAndAllGetTheSameFault()
    {
        var request = Xid(79, 0, "parallel");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync));

        Assert.Single(KernelLines());
        Assert.Single(responses, r => !r.Replayed);
        Assert.All(responses, r => Assert.Equal(responses[0].Fault, r.Fault));
    }

    [RootFact]
    public async Task InjectXid_SameKeyDifferentRequest_AlreadyExists()
    {
        var first = Xid(79, 0);
        first.IdempotencyKey = "k";
        var different = Xid(79, 1);
        different.IdempotencyKey = "k";
        await _client.InjectXidAsync(first, AgentApplicationFactory.Auth());

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.InjectXidAsync(different, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("idempotency_key", error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Metadata["field"]);
        Assert.Single(KernelLines());
    }

    [RootFact]
    public async Task InjectXid_DryRun_ReturnsExactRecordsAndWritesNothing()
    {
        var request = Xid(79, 1, "dry");
        request.DryRun = true;
        request.CompanionLines = true;

        var response = await _client.InjectXidAsync(request, AgentApplicationFactory.Auth());

        Assert.True(response.DryRun);
        Assert.Equal(
            [
                "NVRM: NVRM: GPU at PCI:0000:5e:00: GPU-1b2c3d4e-0000-1111-2222-333344445555",
                $"NVRM: NVRM: Xid (PCI:0000:5e:00): 79, pid=4242, name={_marker}, GPU has fallen off the bus.",
                "NVRM: NVRM: GPU 0000:5e:00.0: GPU has fallen off the bus.",
            ],
            response.Fault.Records.Select(r => r.Text));
        Assert.All(response.Fault.Records, r => Assert.Equal(0UL, r.Sequence));
        Assert.All(response.Fault.Records, r => Assert.Equal(4, r.Level));
        Assert.Empty(KernelLines());
        Assert.Empty((await _client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [RootTheory]
    [InlineData(null)]
    [InlineData("not-a-valid-token-0000000000")]
    [InlineData("")]
    public async Task InjectXid_MissingOrWrongToken_UnauthenticatedAndNothingWritten(string? token)
    {
        var headers = token is null ? new Metadata() : new Metadata { { "authorization", $"Bearer {token}" } };

        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectXidAsync(Xid(79, 0), headers).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Empty(KernelLines());
    }

    [RootFact]
    public async Task ListFaults_WrongToken_Unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth("wrong-token-000000000000")).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("not accepted", error.Status.Detail, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Health_WithoutToken_Serving()
    {
        _factory.CreateClient(out var channel);
        var health = new Health.HealthClient(channel);

        await Eventually.TrueAsync(
            async () => (await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving,
            "the agent to report SERVING");
    }

    [RootFact]
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

    [RootFact]
    public async Task InjectXid_BadFields_InvalidArgumentWithEveryFieldViolation()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.InjectXidAsync(
            new InjectXidRequest
            {
                FaultId = "bad id!",
                Xid = 0,
                GpuId = 0,
                Message = "two\nlines",
                Pid = 4242,
                ProcessName = _marker,
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
        Assert.Empty(KernelLines());
    }

    [RootFact]
    public async Task InjectXid_UnknownXidWithoutMessage_InvalidArgumentOnMessage()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectXidAsync(Xid(555, 0), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("message", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Empty(KernelLines());
    }

    [RootFact]
    public async Task InjectXid_ProcessNameLongerThanTheKernelsComm_InvalidArgument()
    {
        var request = Xid(79, 0);
        request.ProcessName = _marker + "xyz";

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("process_name", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Empty(KernelLines());
    }

    [RootFact]
    public async Task InjectXid_UnknownGpu_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectXidAsync(Xid(79, 7), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("gpu_id", error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Metadata["field"]);
        Assert.Empty(KernelLines());
    }

    [RootFact]
    public async Task GetFault_UnknownId_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.GetFaultAsync(new GetFaultRequest { FaultId = "missing" }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [RootFact]
    public async Task ClearFault_EmptyId_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.ClearFaultAsync(new ClearFaultRequest(), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("fault_id", error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations[0].Field);
    }

    [RootFact]
    public async Task InjectSxid_DiscoveredSwitch_WritesSxidLine()
    {
        var response = await _client.InjectSxidAsync(
            new InjectSxidRequest { FaultId = "sx", Sxid = 12028, Nvswitch = 0, Link = 3, Message = $"Egress nonposted PRIV error {_marker}" },
            AgentApplicationFactory.Auth());

        Assert.Equal(FaultKind.Sxid, response.Fault.Kind);
        Assert.Equal("0000:4e:00.0", response.Fault.PciBusId);
        Assert.Equal("nvswitch_sxid_12028", response.Fault.FaultType);
        Assert.Equal($"nvidia-nvswitch0: SXid (PCI:0000:4e:00.0): 12028, Fatal, Link 03 Egress nonposted PRIV error {_marker}", response.Fault.Line);
        Assert.Equal(3, response.Fault.Records.Count);
        Assert.All(response.Fault.Records, r => Assert.Equal(3, r.Level));
        Assert.Equal(response.Fault.Records[0].Text, Assert.Single(KernelLines()));
    }

    [RootFact]
    public async Task InjectSxid_UnknownSwitch_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.InjectSxidAsync(new InjectSxidRequest { Sxid = 12028, Nvswitch = 5 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [RootFact]
    public async Task ListGpusAndCatalog_WithToken_DescribeNode()
    {
        var gpus = await _client.ListGpusAsync(new ListGpusRequest(), AgentApplicationFactory.Auth());
        var catalog = await _client.GetCatalogAsync(new GetCatalogRequest(), AgentApplicationFactory.Auth());

        Assert.Equal([0, 1], gpus.Gpus.Select(g => g.GpuId));
        Assert.Equal("0000:3b:00", gpus.Gpus[0].XidPci);
        Assert.Equal(TestProcRoot.Gpu0Uuid, gpus.Gpus[0].Uuid);
        Assert.Equal("0000:4e:00.0", Assert.Single(gpus.Nvswitches).PciBusId);
        Assert.Equal((await File.ReadAllTextAsync("/proc/sys/kernel/random/boot_id")).Trim(), gpus.BootId);
        Assert.Contains(catalog.Xids, x => x.Xid == 79 && x.Severity == "critical" && x.Level == 4 && x.Mnemonic == "ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS");
        Assert.Equal("535.161.08", gpus.DriverVersion);
        Assert.Equal("r565", gpus.LineForm);
        Assert.Contains(catalog.Sxids, s => s.Sxid == 12028 && s.Fatal);
    }

    [RootFact]
    public async Task ListGpus_GpuRemovedAndMigInstanceMadeAfterAListing_TheNextListingShowsBoth()
    {
        var procRoot = _factory.TestDirectory.Combine("proc");
        await _client.ListGpusAsync(new ListGpusRequest { Summary = true }, AgentApplicationFactory.Auth());
        var before = await _client.ListGpusAsync(new ListGpusRequest { Summary = true }, AgentApplicationFactory.Auth());
        // A GPU unbound (its procfs directory gone) and a MIG instance made, neither with a driver reload.
        Directory.Delete(Path.Combine(procRoot, "driver", "nvidia", "gpus", "0000:5e:00.0"), recursive: true);
        Directory.CreateDirectory(Path.Combine(procRoot, "driver", "nvidia", "capabilities", "gpu0", "mig", "gi4", "ci0"));

        var after = await _client.ListGpusAsync(new ListGpusRequest { Summary = true }, AgentApplicationFactory.Auth());

        Assert.Equal([0, 1], before.Gpus.Select(g => g.GpuId));
        Assert.Empty(before.Gpus[0].MigInstances);
        Assert.Equal([0], after.Gpus.Select(g => g.GpuId));
        Assert.Equal([4], after.Gpus[0].MigInstances.Select(m => m.GpuInstance));
    }

    [RootFact]
    public async Task ListGpus_Summary_IdentifiesEachGpuWithoutTheDriverDetail()
    {
        var full = await _client.ListGpusAsync(new ListGpusRequest(), AgentApplicationFactory.Auth());
        var summary = await _client.ListGpusAsync(new ListGpusRequest { Summary = true }, AgentApplicationFactory.Auth());

        Assert.NotEmpty(full.Gpus[0].Fields);
        Assert.NotEmpty(full.Gpus[0].Irq);
        Assert.NotEmpty(full.Gpus[0].SourcePath);
        Assert.Equal(
            full.Gpus.Select(g => (g.GpuId, g.PciBusId, g.XidPci, g.Uuid, g.Model, g.Excluded, g.MigInstances.Count)),
            summary.Gpus.Select(g => (g.GpuId, g.PciBusId, g.XidPci, g.Uuid, g.Model, g.Excluded, g.MigInstances.Count)));
        Assert.All(summary.Gpus, g =>
        {
            Assert.Empty(g.Fields);
            Assert.Equal("", g.Irq + g.VideoBios + g.BusType + g.DmaSize + g.DmaMask + g.BusLocation + g.GpuFirmware + g.SourcePath);
        });
        Assert.Equal(full.Nvswitches.Select(s => (s.Instance, s.PciBusId)), summary.Nvswitches.Select(s => (s.Instance, s.PciBusId)));
        Assert.Equal((full.BootId, full.DriverVersion, full.LineForm, full.NodeName), (summary.BootId, summary.DriverVersion, summary.LineForm, summary.NodeName));
        Assert.True(summary.CalculateSize() * 2 < full.CalculateSize(), $"summary {summary.CalculateSize()} B, full {full.CalculateSize()} B");
    }
}
