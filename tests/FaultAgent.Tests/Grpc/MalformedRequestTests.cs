using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace FaultAgent.Tests.Grpc;

/// <summary>
/// Requests the agent cannot read or whose timestamps no clock can hold are refused as INVALID_ARGUMENT with a
/// google.rpc.BadRequest naming what was wrong, and nothing is written — found by AgentInputFuzzTests: wire bytes that do
/// not parse (cut short, garbage) answered UNKNOWN "Exception was thrown by handler.", and so did a ListAuditEvents
/// <c>since</c> or a SetEmergencyStop <c>state.changed_at</c> outside 0001-01-01..9999-12-31 or with nanos out of range.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class MalformedRequestTests : IAsyncLifetime
{
    private readonly string _marker = "m" + Guid.NewGuid().ToString("N")[..12];
    private RealAgent _agent = null!;

    public Task InitializeAsync()
    {
        _agent = RealAgent.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [RootFact]
    public async Task InjectXid_WireBytesCutShort_IsInvalidArgumentNamingTheRequestAndWritesNothing()
    {
        // The last byte of pid 4242's varint cut off: the message ends inside a field.
        var valid = new InjectXidRequest { Xid = 79, GpuId = 0, ProcessName = _marker, Pid = 4242 }.ToByteArray();

        var error = await CallRawAsync("InjectXid", valid[..^1]);

        AssertNamed(error, StatusCode.InvalidArgument, "request");
        Assert.Empty(_agent.KernelLog.SnapshotContaining(_marker));
        Assert.Empty((await _agent.Client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [RootFact]
    public async Task GetCatalog_GarbageWireBytes_IsInvalidArgumentNamingTheRequest()
    {
        // A length-delimited field 3 claiming 2^31 bytes.
        var error = await CallRawAsync("GetCatalog", [0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]);

        AssertNamed(error, StatusCode.InvalidArgument, "request");
    }

    [RootFact]
    public async Task ListAuditEvents_SinceOutOfRange_IsInvalidArgumentNamingSince()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _agent.Client.ListAuditEventsAsync(new ListAuditEventsRequest { Since = new Timestamp { Seconds = -62_135_596_801 } }, AgentApplicationFactory.Auth()).ResponseAsync);
        AssertNamed(error, StatusCode.InvalidArgument, "since");

        error = await Assert.ThrowsAsync<RpcException>(() => _agent.Client.ListAuditEventsAsync(new ListAuditEventsRequest { Since = new Timestamp { Seconds = 0, Nanos = -1 } }, AgentApplicationFactory.Auth()).ResponseAsync);
        AssertNamed(error, StatusCode.InvalidArgument, "since");
    }

    [RootFact]
    public async Task SetEmergencyStop_ChangedAtOutOfRange_IsInvalidArgumentNamingItAndChangesNothing()
    {
        var auth = AgentApplicationFactory.Auth();
        var before = await _agent.Client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), auth);
        var request = new SetEmergencyStopRequest { State = new EmergencyStopState { Engaged = true, Version = before.Version + 1, Reason = _marker, ChangedAt = new Timestamp { Seconds = 253_402_300_800 } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => _agent.Client.SetEmergencyStopAsync(request, auth).ResponseAsync);

        AssertNamed(error, StatusCode.InvalidArgument, "state.changed_at");
        var after = await _agent.Client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), auth);
        Assert.False(after.Engaged);
        Assert.Equal(before.Version, after.Version);
    }

    private static void AssertNamed(RpcException error, StatusCode code, string field)
    {
        Assert.Equal(code, error.StatusCode);
        var details = error.Trailers.GetValueBytes("grpc-status-details-bin");
        Assert.NotNull(details);
        var violations = Google.Rpc.Status.Parser.ParseFrom(details).Details.Where(d => d.Is(BadRequest.Descriptor)).SelectMany(d => d.Unpack<BadRequest>().FieldViolations).ToList();
        Assert.Contains(violations, v => v.Field == field && !string.IsNullOrWhiteSpace(v.Description));
    }

    private async Task<RpcException> CallRawAsync(string methodName, byte[] request)
    {
        var (status, _, trailers) = await RawGrpcCall.CallAsync(_agent.Invoker, FaultInjection.Agent.V1.FaultAgent.Descriptor.FindMethodByName(methodName), request, AgentApplicationFactory.Auth());
        return new RpcException(status, trailers);
    }
}
