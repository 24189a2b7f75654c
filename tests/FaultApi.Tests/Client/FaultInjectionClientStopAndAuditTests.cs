using System.Net;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Client;
using FaultInjection.Client.Drills;
using FaultInjection.Client.Faults;

namespace FaultApi.Tests.Client;

/// <summary>
/// The .NET client's emergency stop and audit calls against the real API (static routing, <c>Stop:StateFile</c>) and a
/// real agent. Its own product instance: the stop it engages must not meet the other client tests.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultInjectionClientStopAndAuditTests(RealProductFixture product) : IClassFixture<RealProductFixture>, IDisposable
{
    private const string Node = RealProductFixture.NodeName;
    private readonly string _runId = $"stop{Guid.NewGuid():N}"[..16];
    private readonly FaultInjectionClient _client = new(product.ApiAddress, RealProductFixture.Token);

    public void Dispose() => _client.Dispose();

    [RootFact]
    public async Task EngageStopAsync_InjectionRefusedWith423StopProblem_ReleaseAllowsItAgain_AndTheAuditTellsIt()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        string faultId;
        await using (var before = await _client.InjectXidAsync(Node, 79, options: new XidInjectionOptions { FaultId = $"{_runId}-before", Message = $"before {_runId}" }))
        {
            faultId = before.FaultId;
            try
            {
                var engaged = await _client.EngageStopAsync($"client test {_runId}");
                Assert.True(engaged.Engaged);
                Assert.Equal("alice", engaged.ChangedBy);
                Assert.Equal($"client test {_runId}", engaged.Reason);
                Assert.True(engaged.Version > 0);
                var ack = Assert.Single(engaged.Agents);
                Assert.Equal(Node, ack.NodeName);
                Assert.True(ack.Acknowledged, ack.Error);

                var shown = await _client.GetStopAsync();
                Assert.True(shown.Engaged);
                Assert.Equal(engaged.Version, shown.Version);

                var refused = await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.InjectXidAsync(Node, 48, options: new XidInjectionOptions { Message = $"refused {_runId}" }));
                Assert.Equal(423, refused.Status);
                var stop = Assert.IsType<FaultInjection.Client.EmergencyStop.EmergencyStopProblem>(refused.EmergencyStop);
                Assert.Equal("alice", stop.StoppedBy);
                Assert.Equal($"client test {_runId}", stop.Reason);
                Assert.NotNull(stop.StoppedAt);

                // The active fault was expired by the stop.
                var expired = await _client.GetFaultAsync(faultId, Node);
                Assert.Equal("expired", expired.State);
            }
            finally
            {
                var released = await _client.ReleaseStopAsync($"released {_runId}");
                Assert.False(released.Engaged);
            }
        }

        Assert.False((await _client.GetStopAsync()).Engaged);
        Assert.Null((await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.ClearFaultAsync($"{_runId}-unknown", Node))).EmergencyStop);
        await using (var after = await _client.InjectXidAsync(Node, 48, options: new XidInjectionOptions { Message = $"after {_runId}" }))
        {
            Assert.Equal("injected", after.Result.Status);
        }

        var audit = await _client.GetAuditAsync(since, Node);
        Assert.Empty(audit.Errors);
        Assert.Contains(Node, audit.Nodes);
        Assert.Equal(audit.Events.Count, audit.Count);
        Assert.Contains(audit.Events, e => e.Action == "inject" && e.FaultId == faultId && e.NodeName == Node && e.Caller.EndsWith("/alice", StringComparison.Ordinal));
        Assert.Contains(audit.Events, e => e.Action == "stop" && e.FaultId == faultId);
        Assert.Contains(audit.Events, e => e.Action == "release");
        Assert.Equal(audit.Events.Select(e => e.At).Order().ToList(), audit.Events.Select(e => e.At).ToList());
    }

    [RootFact]
    public async Task EngageStopAsync_BlankReason_ThrowsBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.EngageStopAsync(" "));
        Assert.False((await _client.GetStopAsync()).Engaged);
    }

    [RootFact]
    public async Task StartDrillAsync_StaticRouting_Throws501ProblemDetails()
    {
        var problem = await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.StartDrillAsync(DrillRequest.ForXid(Node, 79, ["cordon"])));

        Assert.Equal(HttpStatusCode.NotImplemented, problem.StatusCode);
        Assert.False(string.IsNullOrEmpty(problem.Detail));
        Assert.Equal(HttpStatusCode.NotImplemented, (await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.ListDrillsAsync(Node))).StatusCode);
    }
}
