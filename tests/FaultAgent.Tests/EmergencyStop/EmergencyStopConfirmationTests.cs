using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Dcgm;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using EmergencyStopState = FaultInjection.Agent.V1.EmergencyStopState;

namespace FaultAgent.Tests.EmergencyStop;

/// <summary>
/// An agent's stop state is unconfirmed from its start until an API's push leaves it holding exactly the pushed state:
/// meanwhile every real injection on every surface is refused (EMERGENCY_STOP_UNCONFIRMED) before anything is written,
/// while dry runs, reads and clears stay allowed. The real agent app on real Kestrel, its real kernel log (the machine's
/// /dev/kmsg, read by a <see cref="KernelLogRecorder"/>) and the stand-in dcgmi in a stand-in host namespace.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopConfirmationTests : IClassFixture<HostNamespaceFixture>
{
    private readonly HostNamespaceFixture _host;
    private readonly string _runId = $"confirm{Guid.NewGuid():N}"[..18];

    public EmergencyStopConfirmationTests(HostNamespaceFixture host)
    {
        _host = host;
    }

    [RootFact]
    public async Task Inject_AgentNotConfirmed_EverySurfaceRefusesUnconfirmed_WritesNothing_AndCountsTheRefusals()
    {
        using var kernelLog = KernelLogRecorder.Start();
        var dcgmi = new StandInDcgmi(_host);
        await using var agent = Agent(dcgmi, confirmStop: false);
        var client = agent.CreateGrpcClient();
        using var http = agent.CreateHttpClient();

        var refusals = new[]
        {
            await Assert.ThrowsAsync<RpcException>(async () => await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"xid {_runId}" }, AgentApplicationFactory.Auth())),
            await Assert.ThrowsAsync<RpcException>(async () => await client.InjectSxidAsync(new InjectSxidRequest { Sxid = 12028, Nvswitch = 0, Link = 3, Message = $"sxid {_runId}" }, AgentApplicationFactory.Auth())),
            await Assert.ThrowsAsync<RpcException>(async () => await client.InjectDcgmFieldAsync(new DcgmInjectFieldRequest { Field = "230", Value = "79", GpuId = 0 }, AgentApplicationFactory.Auth())),
        };
        using var viaHttp = await http.PostAsJsonAsync("/inject-xid", new { xid_type = 79, gpu_id = 0, message = $"http {_runId}" });

        Assert.All(refusals, rpc =>
        {
            Assert.Equal(StatusCode.FailedPrecondition, rpc.StatusCode);
            var info = rpc.GetRpcStatus()!.GetDetail<ErrorInfo>();
            Assert.Equal("EMERGENCY_STOP_UNCONFIRMED", info.Reason);
            Assert.Equal("faultinjection.agent.v1", info.Domain);
            Assert.Equal("0", info.Metadata["version"]);
        });
        Assert.Equal(HttpStatusCode.Locked, viaHttp.StatusCode);
        var problem = await viaHttp.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("EMERGENCY_STOP_UNCONFIRMED", problem.GetProperty("reason").GetString());
        Assert.Empty(kernelLog.SnapshotContaining(_runId));
        Assert.Null(dcgmi.Value(1, 230));
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("code=\"79\",gpu=\"0\",kind=\"xid\",result=\"refused\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("kind=\"sxid\",result=\"refused\"} 1", metrics, StringComparison.Ordinal);
        Assert.False((await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth())).Confirmed);
    }

    [RootFact]
    public async Task SetEmergencyStop_NeverEngagedStatePushedToAFreshAgent_ConfirmsIt_AndTheNextInjectionLands()
    {
        using var kernelLog = KernelLogRecorder.Start();
        await using var agent = Agent(new StandInDcgmi(_host), confirmStop: false);
        var client = agent.CreateGrpcClient();
        var held = await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth());
        await Assert.ThrowsAsync<RpcException>(async () => await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"before {_runId}" }, AgentApplicationFactory.Auth()));

        var pushed = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = Pushed(version: 0) }, AgentApplicationFactory.Auth());
        var injected = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"after {_runId}" }, AgentApplicationFactory.Auth());

        Assert.False(held.Confirmed);
        Assert.False(held.Engaged);
        Assert.Equal(0, held.Version);
        Assert.True(pushed.Confirmed);
        Assert.Equal(0, pushed.Version);
        Assert.True((await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth())).Confirmed);
        Assert.Single(kernelLog.SnapshotContaining($"after {_runId}"));
        Assert.Empty(kernelLog.SnapshotContaining($"before {_runId}"));
        Assert.NotEqual(0UL, injected.Fault.Records[0].Sequence);
    }

    [RootFact]
    public async Task SetEmergencyStop_PushLosingToTheRestartedAgentsState_DoesNotConfirm_AnEngagedPushThenARelease_Does()
    {
        using var kernelLog = KernelLogRecorder.Start();
        var state = Path.Combine(_host.RootDirectory, $"state-{_runId}");
        await using (var first = Agent(new StandInDcgmi(_host), confirmStop: false, state))
        {
            await first.CreateGrpcClient().SetEmergencyStopAsync(new SetEmergencyStopRequest { State = Pushed(version: 10) }, AgentApplicationFactory.Auth());
        }

        await using var agent = Agent(new StandInDcgmi(_host), confirmStop: false, state);
        var client = agent.CreateGrpcClient();

        var lost = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = Pushed(version: 9) }, AgentApplicationFactory.Auth());
        var whileLost = await Assert.ThrowsAsync<RpcException>(async () => await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"lost {_runId}" }, AgentApplicationFactory.Auth()));
        var engaged = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = Pushed(version: 11, engaged: true) }, AgentApplicationFactory.Auth());
        var whileEngaged = await Assert.ThrowsAsync<RpcException>(async () => await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"engaged {_runId}" }, AgentApplicationFactory.Auth()));
        var released = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = Pushed(version: 12) }, AgentApplicationFactory.Auth());
        await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"released {_runId}" }, AgentApplicationFactory.Auth());

        Assert.False(lost.Confirmed);
        Assert.Equal(10, lost.Version);
        Assert.Equal("EMERGENCY_STOP_UNCONFIRMED", whileLost.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.True(engaged.Confirmed);
        Assert.Equal("EMERGENCY_STOP", whileEngaged.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.True(released.Confirmed);
        Assert.False(released.Engaged);
        Assert.Equal(12, released.Version);
        Assert.Empty(kernelLog.SnapshotContaining($"lost {_runId}"));
        Assert.Empty(kernelLog.SnapshotContaining($"engaged {_runId}"));
        Assert.Single(kernelLog.SnapshotContaining($"released {_runId}"));
    }

    [RootFact]
    public async Task SetEmergencyStop_EngagedAtVersionZero_IsInvalidArgument_AndConfirmsNothing()
    {
        await using var agent = Agent(new StandInDcgmi(_host), confirmStop: false);
        var client = agent.CreateGrpcClient();

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.SetEmergencyStopAsync(
            new SetEmergencyStopRequest { State = Pushed(version: 0, engaged: true) }, AgentApplicationFactory.Auth()));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("state.version", refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
        Assert.False((await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth())).Confirmed);
    }

    [RootFact]
    public async Task DryRunAndClear_RestartedAgentNotConfirmed_AreAllowed_WritingNothing()
    {
        using var kernelLog = KernelLogRecorder.Start();
        var state = Path.Combine(_host.RootDirectory, $"state-{_runId}");
        string faultId;
        await using (var first = Agent(new StandInDcgmi(_host), confirmStop: true, state))
        {
            faultId = (await first.CreateGrpcClient().InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"open {_runId}" }, AgentApplicationFactory.Auth())).Fault.FaultId;
        }

        await using var agent = Agent(new StandInDcgmi(_host), confirmStop: false, state);
        var client = agent.CreateGrpcClient();
        using var http = agent.CreateHttpClient();

        var dryRun = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"dry {_runId}", DryRun = true }, AgentApplicationFactory.Auth());
        using var httpDryRun = await http.PostAsJsonAsync("/inject-xid", new { xid_type = 79, gpu_id = 0, message = $"dry http {_runId}", dry_run = true });
        var dcgmDryRun = await client.InjectDcgmFieldAsync(new DcgmInjectFieldRequest { Field = "230", Value = "79", GpuId = 0, DryRun = true }, AgentApplicationFactory.Auth());
        var read = await client.GetFaultAsync(new GetFaultRequest { FaultId = faultId }, AgentApplicationFactory.Auth());
        var cleared = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = faultId, Reason = "done" }, AgentApplicationFactory.Auth());

        Assert.True(dryRun.DryRun);
        Assert.Equal(HttpStatusCode.OK, httpDryRun.StatusCode);
        Assert.True(dcgmDryRun.DryRun);
        Assert.Equal(FaultState.Active, read.State);
        Assert.Equal(FaultState.Cleared, cleared.State);
        Assert.Empty(kernelLog.SnapshotContaining($"dry {_runId}"));
        Assert.Empty(kernelLog.SnapshotContaining($"dry http {_runId}"));
        Assert.False((await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), AgentApplicationFactory.Auth())).Confirmed);
    }

    private static EmergencyStopState Pushed(long version, bool engaged = false) => new()
    {
        Engaged = engaged,
        Reason = engaged ? "drill went wrong" : "",
        ChangedBy = "fault-api/alice",
        ChangedAt = Timestamp.FromDateTimeOffset(version == 0 ? DateTimeOffset.UnixEpoch : DateTimeOffset.UtcNow),
        Version = version,
    };

    private AgentApplicationFactory Agent(StandInDcgmi dcgmi, bool confirmStop, string? stateDirectory = null)
    {
        var settings = new Dictionary<string, string?> { ["Agent:Dcgm:DcgmiPath"] = dcgmi.Path };
        if (stateDirectory is not null)
        {
            settings["Agent:StateDirectory"] = stateDirectory;
        }

        return new AgentApplicationFactory(_host.TargetPid, settings, confirmStop: confirmStop);
    }
}
