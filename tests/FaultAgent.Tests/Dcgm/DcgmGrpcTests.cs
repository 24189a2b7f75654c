using System.Text.Json;
using FaultAgent.Dcgm;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Eventually = FaultAgent.Tests.Infrastructure.Eventually;
using ProtoRestoreState = FaultInjection.Agent.V1.DcgmRestoreState;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// The DCGM RPCs over real Kestrel with the generated client: the real agent runs the stand-in dcgmi through nsenter in
/// a stand-in host (where alone it exists), records faults in its real registry, and takes values back when they end.
/// The stand-in numbers the GPUs the other way round from the driver: Device Minor 0 is DCGM GPU 1.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmGrpcTests : IClassFixture<HostNamespaceFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly HostNamespaceFixture _host;

    public DcgmGrpcTests(HostNamespaceFixture host)
    {
        _host = host;
    }

    private AgentApplicationFactory Agent(StandInDcgmi dcgmi, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Agent:Dcgm:DcgmiPath"] = dcgmi.Path,
            ["Agent:Dcgm:RestoreRetryInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new AgentApplicationFactory(_host.TargetPid, all);
    }

    private static DcgmInjectFieldRequest Field(string field, string value, int gpuId = 0) => new() { Field = field, Value = value, GpuId = gpuId };

    /// <summary>Reads the fault until <paramref name="condition"/> holds (at most a generous minute); returns it then.</summary>
    internal static async Task<Fault> WaitForAsync(AgentClient client, string faultId, Func<Fault, bool> condition, string what)
    {
        Fault fault = null!;
        await Eventually.TrueAsync(
            async () =>
            {
                fault = await client.GetFaultAsync(new GetFaultRequest { FaultId = faultId }, AgentApplicationFactory.Auth());
                return condition(fault);
            },
            what,
            Generous);
        return fault;
    }

    [RootFact]
    public async Task InjectDcgmField_EccDbeOnMinorZero_WrittenToDcgmGpuOneReadBackAndRecorded()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var response = await client.InjectDcgmFieldAsync(Field("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "1"), AgentApplicationFactory.Auth(onBehalfOf: "alice"));

        var fault = response.Fault;
        Assert.Equal(FaultKind.DcgmField, fault.Kind);
        Assert.Equal(311, fault.Code);
        Assert.Equal("gpu_dcgm_field_311", fault.FaultType);
        Assert.Equal("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL = 1", fault.Message);
        Assert.Equal(0, fault.GpuId);
        Assert.Equal("0000:3b:00.0", fault.PciBusId);
        Assert.Empty(fault.Records); // nothing in the kernel log
        Assert.Equal(["dcgm"], fault.Surfaces);
        var write = Assert.Single(fault.DcgmWrites);
        Assert.Equal(311, write.FieldId);
        Assert.Equal(1, write.DcgmGpuId);
        Assert.Equal("", write.HostEngine);
        Assert.Equal("1", write.Value);
        Assert.Equal("N/A", write.ValueBefore);
        Assert.Equal("1", write.ReadBack);
        Assert.NotNull(write.VerifiedAt);
        Assert.Equal("0", write.RestoreValue);
        Assert.Equal(ProtoRestoreState.Unspecified, write.RestoreState);
        Assert.Equal(1, dcgmi.Value(1, 311));
        Assert.Null(dcgmi.Value(0, 311));
        var listed = await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth());
        Assert.Equal(fault.FaultId, Assert.Single(listed.Faults).FaultId);
    }

    [RootFact]
    public async Task ClearFault_DcgmFieldFault_ValueBeforeWrittenBackAndReadBack()
    {
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.SetValue(1, 202, 12); // the PCIe replay counter already counted 12
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var injected = (await client.InjectDcgmFieldAsync(Field("202", "112"), AgentApplicationFactory.Auth())).Fault;

        var cleared = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = injected.FaultId }, AgentApplicationFactory.Auth());

        Assert.Equal(FaultState.Cleared, cleared.State);
        var write = Assert.Single(cleared.DcgmWrites);
        Assert.Equal("12", write.ValueBefore);
        Assert.Equal("12", write.RestoreValue);
        Assert.Equal(ProtoRestoreState.Restored, write.RestoreState);
        Assert.Equal("12", write.RestoredReadBack);
        Assert.NotNull(write.RestoredAt);
        Assert.Equal(12, dcgmi.Value(1, 202));
        var again = await client.GetFaultAsync(new GetFaultRequest { FaultId = injected.FaultId }, AgentApplicationFactory.Auth());
        Assert.Equal(ProtoRestoreState.Restored, again.DcgmWrites[0].RestoreState); // the registry keeps the proof
    }

    [RootFact]
    public async Task InjectDcgmField_HostEngineUnreachable_UnavailableWithReasonAndNothingRecorded()
    {
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.SetHostEngineRunning(false);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectDcgmFieldAsync(Field("230", "79"), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        var info = e.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("DCGM_HOSTENGINE_UNREACHABLE", info.Reason);
        Assert.Equal("faultinjection.agent.v1", info.Domain);
        Assert.Equal("localhost", info.Metadata["host_engine"]);
        Assert.Contains("No DCGM hostengine answers at localhost", e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
        Assert.DoesNotContain(dcgmi.Calls, c => c[0] == "test");
    }

    [RootTheory]
    [InlineData("DCGM_FI_DEV_GPU_TEMP", "1", "field")]
    [InlineData("", "1", "field")]
    [InlineData("230", "", "value")]
    [InlineData("230", "79.5", "value")]
    [InlineData("230", "1000", "value")]
    [InlineData("DCGM_FI_DEV_RETIRED_PENDING", "2", "value")]
    [InlineData("230", "-1", "value")]
    public async Task InjectDcgmField_BadFieldOrValue_InvalidArgumentNamingItAndDcgmUntouched(string field, string value, string violated)
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectDcgmFieldAsync(Field(field, value), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(violated, Assert.Single(e.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.Empty(dcgmi.Calls);
    }

    [RootFact]
    public async Task InjectDcgmField_UnknownGpu_NotFoundAndDcgmUntouched()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectDcgmFieldAsync(Field("230", "79", gpuId: 5), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Empty(dcgmi.Calls);
    }

    [RootFact]
    public async Task InjectDcgmField_DryRun_MapsAndReadsButWritesNothing()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var response = await client.InjectDcgmFieldAsync(new DcgmInjectFieldRequest { Field = "230", Value = "79", GpuId = 1, DryRun = true }, AgentApplicationFactory.Auth());

        Assert.True(response.DryRun);
        var write = Assert.Single(response.Fault.DcgmWrites);
        Assert.Equal(0, write.DcgmGpuId); // Device Minor 1 is DCGM GPU 0
        Assert.Equal("N/A", write.ValueBefore);
        Assert.Equal("", write.ReadBack);
        Assert.DoesNotContain(dcgmi.Calls, c => c[0] == "test");
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [RootFact]
    public async Task InjectDcgmField_ValueTheDriverOverwrites_AbortedAndNothingRecorded()
    {
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.SetDriverValue(1, 392, 0);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.InjectDcgmFieldAsync(Field("DCGM_FI_DEV_RETIRED_PENDING", "1"), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        Assert.Equal("DCGM_VALUE_NOT_KEPT", e.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [RootFact]
    public async Task InjectDcgmField_SameRequestTwice_SecondIsReplayedAndWritesNothing()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var request = new DcgmInjectFieldRequest { Field = "230", Value = "79", IdempotencyKey = "drill-7" };

        var first = await client.InjectDcgmFieldAsync(request, AgentApplicationFactory.Auth());
        var second = await client.InjectDcgmFieldAsync(request, AgentApplicationFactory.Auth());

        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Assert.Equal(first.Fault.FaultId, second.Fault.FaultId);
        Assert.Single(dcgmi.Calls, c => c[0] == "test");
    }

    [RootFact]
    public async Task Expiry_DcgmFieldFaultWithDuration_TakenBackByTheAgentOnItsOwn()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var request = Field("230", "79");
        request.Duration = Duration.FromTimeSpan(TimeSpan.FromSeconds(1));
        var injected = (await client.InjectDcgmFieldAsync(request, AgentApplicationFactory.Auth())).Fault;

        var expired = await WaitForAsync(client, injected.FaultId, f => f.State == FaultState.Expired && f.DcgmWrites[0].RestoreState == ProtoRestoreState.Restored, "the expired fault's value to be taken back");

        Assert.Equal("0", expired.DcgmWrites[0].RestoredReadBack);
        Assert.Equal(0, dcgmi.Value(1, 230));
    }

    [RootFact]
    public async Task SetEmergencyStop_WhileAnAdmittedInjectionWritesDcgm_AnswersOnlyOnceItsValueIsTakenBack()
    {
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.HoldInjections();
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        // The injection passed the stop check and its dcgmi test --inject is under way.
        var inject = client.InjectDcgmFieldAsync(Field("230", "79", gpuId: 0), AgentApplicationFactory.Auth()).ResponseAsync;
        await Eventually.TrueAsync(() => Task.FromResult(dcgmi.InjectionHeld), "the injection's dcgmi test --inject to start", Generous);

        // The stop is engaged meanwhile: what DCGM took when the push answered must be all it ever takes for the injection.
        var push = client.SetEmergencyStopAsync(
            new SetEmergencyStopRequest { State = new EmergencyStopState { Engaged = true, Reason = "stop mid-write", Version = 1, ChangedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) } },
            AgentApplicationFactory.Auth(onBehalfOf: "bob")).ResponseAsync;
        var writesAtTheAnswer = push.ContinueWith(_ => dcgmi.Writes, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await Eventually.TrueAsync(async () => (await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth())).Engaged, "the agent to hold the stop", Generous);
        _ = await Task.WhenAny(push, Task.Delay(TimeSpan.FromSeconds(3)));
        dcgmi.ReleaseInjections();

        var refused = await Assert.ThrowsAsync<RpcException>(() => inject);
        await push;

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal([(1, 230, 79L), (1, 230, 0L)], dcgmi.Writes);
        Assert.Equal(dcgmi.Writes, await writesAtTheAnswer);
        Assert.Equal(0, dcgmi.Value(1, 230));
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [RootFact]
    public async Task SetEmergencyStop_ActiveDcgmFaults_AllTakenBack()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var a = (await client.InjectDcgmFieldAsync(Field("230", "79", gpuId: 0), AgentApplicationFactory.Auth())).Fault;
        var b = (await client.InjectDcgmFieldAsync(Field("311", "4", gpuId: 1), AgentApplicationFactory.Auth())).Fault;

        await client.SetEmergencyStopAsync(
            new SetEmergencyStopRequest { State = new EmergencyStopState { Engaged = true, Reason = "drill went wrong", Version = 1, ChangedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) } },
            AgentApplicationFactory.Auth(onBehalfOf: "bob"));

        await WaitForAsync(client, a.FaultId, f => f.DcgmWrites[0].RestoreState == ProtoRestoreState.Restored, "fault a's value to be taken back");
        await WaitForAsync(client, b.FaultId, f => f.DcgmWrites[0].RestoreState == ProtoRestoreState.Restored, "fault b's value to be taken back");
        Assert.Equal(0, dcgmi.Value(1, 230));
        Assert.Equal(0, dcgmi.Value(0, 311));
    }

    [RootFact]
    public async Task ClearFault_TwoFaultsOnOneField_FirstHeldSecondRestoresTheValueBeforeBoth()
    {
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.SetValue(1, 230, 13); // a real Xid 13 before the drill
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var first = (await client.InjectDcgmFieldAsync(Field("230", "79"), AgentApplicationFactory.Auth())).Fault;
        var second = (await client.InjectDcgmFieldAsync(Field("230", "48"), AgentApplicationFactory.Auth())).Fault;

        var firstCleared = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = first.FaultId }, AgentApplicationFactory.Auth());
        var valueWhileSecondOpen = dcgmi.Value(1, 230);
        var secondCleared = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = second.FaultId }, AgentApplicationFactory.Auth());

        Assert.Equal("79", second.DcgmWrites[0].ValueBefore);
        Assert.Equal("13", second.DcgmWrites[0].RestoreValue); // the value before the first fault, not the first fault's
        Assert.Equal(ProtoRestoreState.Held, firstCleared.DcgmWrites[0].RestoreState);
        Assert.Contains(second.FaultId, firstCleared.DcgmWrites[0].RestoreDetail, StringComparison.Ordinal);
        Assert.Equal(48, valueWhileSecondOpen);
        Assert.Equal(ProtoRestoreState.Restored, secondCleared.DcgmWrites[0].RestoreState);
        Assert.Equal(13, dcgmi.Value(1, 230));
    }

    [RootFact]
    public async Task ClearFault_HostEngineAwayAtClear_ClearedWithFailedRestoreThenRetriedUntilRestored()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();
        var injected = (await client.InjectDcgmFieldAsync(Field("230", "79"), AgentApplicationFactory.Auth())).Fault;
        dcgmi.SetHostEngineRunning(false);

        var cleared = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = injected.FaultId }, AgentApplicationFactory.Auth());
        dcgmi.SetHostEngineRunning(true);

        Assert.Equal(FaultState.Cleared, cleared.State);
        Assert.Equal(ProtoRestoreState.Failed, cleared.DcgmWrites[0].RestoreState);
        Assert.Contains("No DCGM hostengine answers", cleared.DcgmWrites[0].RestoreDetail, StringComparison.Ordinal);
        await WaitForAsync(client, injected.FaultId, f => f.DcgmWrites[0].RestoreState == ProtoRestoreState.Restored, "the retried restore");
        Assert.Equal(0, dcgmi.Value(1, 230));
    }

    [RootFact]
    public async Task Start_LedgerHoldsAWriteWhoseFaultWasNeverRecorded_TakenBack()
    {
        // The agent stopped between writing DCGM and recording the fault: its ledger line is all that is left.
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.SetValue(1, 230, 79);
        await using var agent = Agent(dcgmi);
        var write = new DcgmFieldWriteRecord { FieldId = 230, FieldName = "DCGM_FI_DEV_XID_ERRORS", DcgmGpuId = 1, PciBusId = "0000:3b:00.0", Value = 79, RestoreValue = 0 };
        var line = JsonSerializer.Serialize(new DcgmLedgerEntry { Op = "writing", FaultId = "fault-lost", Write = write, FieldId = 230, PciBusId = "0000:3b:00.0", At = DateTimeOffset.UtcNow }, DcgmLedgerJsonContextAccess.Options);
        await File.WriteAllTextAsync(Path.Combine(agent.TestDirectory.Combine("state"), DcgmWriteLedger.FileName), line + "\n");

        agent.CreateGrpcClient(); // starts the agent

        var ledgerPath = Path.Combine(agent.TestDirectory.Combine("state"), DcgmWriteLedger.FileName);
        await Eventually.TrueAsync(
            async () => (await File.ReadAllTextAsync(ledgerPath)).Contains("\"op\":\"settled\"", StringComparison.Ordinal),
            "the orphaned write to be taken back and settled",
            Generous);
        Assert.Equal(0, dcgmi.Value(1, 230));
        Assert.Equal(["test", "--inject", "--gpuid", "1", "-f", "230", "-v", "0"], Assert.Single(dcgmi.Calls, c => c[0] == "test"));
    }

    [RootFact]
    public async Task GetDcgmFieldCatalog_EveryField_WithNamesAndAlertValues()
    {
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi);
        var client = agent.CreateGrpcClient();

        var catalog = await client.GetDcgmFieldCatalogAsync(new DcgmFieldCatalogRequest(), AgentApplicationFactory.Auth());

        var xid = Assert.Single(catalog.Fields, f => f.FieldId == 230);
        Assert.Equal("DCGM_FI_DEV_XID_ERRORS", xid.Name);
        Assert.Equal("DCGM_FI_DEV_XID_ERROR", xid.NewName);
        Assert.Equal("XIDER", xid.ShortName);
        Assert.Equal("0", xid.HealthyValue);
        Assert.Equal(999, xid.MaxValue);
        Assert.Equal(FaultAgent.Dcgm.DcgmFieldCatalog.Default.Fields.Count, catalog.Fields.Count);
        Assert.Empty(dcgmi.Calls);
    }
}
