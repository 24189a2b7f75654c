using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using FaultInjection.TestSupport.Http;

namespace FaultAgent.Tests.Limits;

/// <summary>
/// The node's injection limits over real Kestrel with the real kernel log (the machine's /dev/kmsg, entered through a
/// mount namespace the test owns): past the burst or the open-fault cap an injection is refused — gRPC
/// RESOURCE_EXHAUSTED with RetryInfo, HTTP 429 with Retry-After — and nothing is written; replays and dry runs still answer.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class InjectionLimitTests : IDisposable
{
    private readonly string _marker = "l" + Guid.NewGuid().ToString("N")[..12];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes: dmesg afterwards may have lost its records to other writers
    private readonly TargetNamespaceProcess _target = new();

    public void Dispose()
    {
        _target.Dispose();
        _kernelLog.Dispose();
    }

    private AgentApplicationFactory Agent(int burst, double perSecond, int maxActive = 1000) => new(_target.Pid, new Dictionary<string, string?>
    {
        ["Agent:Limits:InjectionBurst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Agent:Limits:InjectionsPerSecond"] = perSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Agent:Limits:MaxActiveFaults"] = maxActive.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private InjectXidRequest Xid(string faultId, bool dryRun = false) => new() { FaultId = faultId, Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker, DryRun = dryRun };

    [RootFact]
    public async Task InjectXid_BurstSpent_ResourceExhaustedWithRetryInfoAndNothingWritten()
    {
        using var factory = Agent(burst: 2, perSecond: 0.001);
        var client = factory.CreateGrpcClient();
        await client.InjectXidAsync(Xid("r-1"), AgentApplicationFactory.Auth());
        await client.InjectXidAsync(Xid("r-2"), AgentApplicationFactory.Auth());

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(Xid("r-3"), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.InRange(status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan(), TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(1001));
        Assert.Equal("node:node-a", Assert.Single(status.GetDetail<QuotaFailure>().Violations).Subject);
        Assert.Equal("INJECTION_RATE_LIMITED", status.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(2, _kernelLog.SnapshotContaining(_marker).Count);
        Assert.Equal(["r-1", "r-2"], (await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults.Select(f => f.FaultId));
    }

    [RootFact]
    public async Task InjectXid_BucketEmpty_ReplayAndDryRunStillAnswered()
    {
        using var factory = Agent(burst: 1, perSecond: 0.001);
        var client = factory.CreateGrpcClient();
        var first = await client.InjectXidAsync(Xid("once"), AgentApplicationFactory.Auth());

        var replay = await client.InjectXidAsync(Xid("once"), AgentApplicationFactory.Auth());
        var dryRun = await client.InjectXidAsync(Xid("dry", dryRun: true), AgentApplicationFactory.Auth());

        Assert.True(replay.Replayed);
        Assert.Equal(first.Fault.Records[0].Sequence, replay.Fault.Records[0].Sequence);
        Assert.True(dryRun.DryRun);
        Assert.Single(_kernelLog.SnapshotContaining(_marker));
    }

    [RootFact]
    public async Task InjectXidHttp_BurstSpent_Problem429WithRetryAfter()
    {
        using var factory = Agent(burst: 1, perSecond: 0.5);
        using var http = factory.CreateHttpClient();
        using var ok = await http.PostAsJsonAsync(new Uri("/inject-xid", UriKind.Relative), new { xid_type = 79, gpu_id = 0, pid = 4242, process_name = _marker });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using var refused = await http.PostAsJsonAsync(new Uri("/inject-xid", UriKind.Relative), new { xid_type = 79, gpu_id = 0, pid = 4242, process_name = _marker });

        _ = await ProblemResponse.ReadAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("INJECTION_RATE_LIMITED", problem.GetProperty("reason").GetString());
        Assert.Single(_kernelLog.SnapshotContaining(_marker));
    }

    [RootFact]
    public async Task InjectXid_OpenFaultCapReached_RefusedUntilOneIsCleared()
    {
        using var factory = Agent(burst: 1000, perSecond: 1000, maxActive: 2);
        var client = factory.CreateGrpcClient();
        await client.InjectXidAsync(Xid("c-1"), AgentApplicationFactory.Auth());
        await client.InjectXidAsync(Xid("c-2"), AgentApplicationFactory.Auth());

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(Xid("c-3"), AgentApplicationFactory.Auth()).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("ACTIVE_FAULT_LIMIT", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(2, _kernelLog.SnapshotContaining(_marker).Count);

        await client.ClearFaultAsync(new ClearFaultRequest { FaultId = "c-1" }, AgentApplicationFactory.Auth());
        var third = await client.InjectXidAsync(Xid("c-3"), AgentApplicationFactory.Auth());

        Assert.Equal(FaultState.Active, third.Fault.State);
        Assert.Equal(3, _kernelLog.SnapshotContaining(_marker).Count);
    }
}
