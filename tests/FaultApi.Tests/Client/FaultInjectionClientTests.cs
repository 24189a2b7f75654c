using System.Net;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Client;
using FaultInjection.Client.Faults;

namespace FaultApi.Tests.Client;

/// <summary>The .NET client against the real API (real Kestrel) routing to a real agent process writing the real /dev/kmsg.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultInjectionClientTests(RealProductFixture product) : IClassFixture<RealProductFixture>, IDisposable
{
    private const string Node = RealProductFixture.NodeName;
    private readonly string _runId = $"client{Guid.NewGuid():N}"[..18];
    private readonly FaultInjectionClient _client = new(product.ApiAddress, RealProductFixture.Token);

    public void Dispose() => _client.Dispose();

    [RootFact]
    public async Task InjectXidAsync_Xid79_IsListedActive_AndClearedWhenTheHandleIsDisposed()
    {
        string faultId;
        await using (var fault = await _client.InjectXidAsync(Node, 79, gpuId: 0, new XidInjectionOptions { Message = $"GPU has fallen off the bus. {_runId}" }))
        {
            faultId = fault.FaultId;
            Assert.Equal("injected", fault.Result.Status);
            Assert.Equal(Node, fault.NodeName);
            Assert.Equal(79, fault.Result.Code);
            Assert.Equal("fault-api/alice", fault.Result.Caller);
            Assert.Contains($"): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. {_runId}", fault.Result.Line, StringComparison.Ordinal);
            var record = Assert.Single(fault.Result.Records, r => r.Text.Contains(_runId, StringComparison.Ordinal));
            Assert.True(record.Sequence > 0);
            Assert.All(fault.Result.Records, r => Assert.Equal(4, r.Level));

            var active = await _client.ListFaultsAsync(activeOnly: true, node: Node);
            Assert.Contains(active.Faults, f => f.FaultId == faultId && f.State == "active");
            Assert.Contains(Node, active.Nodes);
            Assert.Empty(active.Errors);
            Assert.Equal("active", (await _client.GetFaultAsync(faultId)).State);
        }

        var after = await _client.GetFaultAsync(faultId, Node);
        Assert.Equal("cleared", after.State);
        Assert.NotNull(after.EndedAt);
        Assert.DoesNotContain((await _client.ListFaultsAsync(activeOnly: true)).Faults, f => f.FaultId == faultId);
    }

    [RootFact]
    public async Task DisposeAsync_AfterTheFaultWasClearedElsewhere_IsIdempotentAndSwallows404()
    {
        var fault = await _client.InjectXidAsync(Node, 48, options: new XidInjectionOptions { FaultId = $"{_runId}-twice", Message = $"DBE {_runId}" });
        var cleared = await _client.RecoverFaultAsync(fault.FaultId, reason: "test");
        Assert.Equal("cleared", cleared.State);

        await fault.DisposeAsync();
        await fault.DisposeAsync();

        Assert.True(fault.IsCleared);
        var unknown = await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.ClearFaultAsync($"{_runId}-never-injected"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [RootFact]
    public async Task InjectXidAsync_DryRun_ReturnsTheRecordsAndWritesNothing()
    {
        await using var fault = await _client.InjectXidAsync(Node, 79, gpuId: 1, new XidInjectionOptions { DryRun = true, Message = $"dry {_runId}" });

        Assert.Equal("dry_run", fault.Result.Status);
        Assert.True(fault.Result.DryRun);
        Assert.All(fault.Result.Records, r => Assert.Equal(0UL, r.Sequence));
        Assert.Contains($"dry {_runId}", fault.Result.Line, StringComparison.Ordinal);
        Assert.DoesNotContain((await _client.ListFaultsAsync(node: Node)).Faults, f => f.Message.Contains(_runId, StringComparison.Ordinal));
    }

    [RootFact]
    public async Task InjectXidAsync_EveryBodyFieldAndIdempotencyKey_ReachTheAgent_AndARetryReplays()
    {
        var options = new XidInjectionOptions
        {
            FaultId = $"{_runId}-all",
            Message = $"Graphics Exception {_runId}",
            Duration = TimeSpan.FromMinutes(10),
            ProcessName = "python3",
            Pid = 4242,
            IdempotencyKey = $"{_runId}-key",
        };

        await using var first = await _client.InjectXidAsync(Node, 13, gpuId: 2, options);
        var retry = await _client.InjectXidAsync(Node, 13, gpuId: 2, options);

        Assert.Equal($"{_runId}-all", first.FaultId);
        Assert.Equal(2, first.Result.GpuId);
        Assert.Contains("pid=4242, name=python3", first.Result.Line, StringComparison.Ordinal);
        Assert.NotNull(first.Result.ExpiresAt);
        Assert.InRange(first.Result.ExpiresAt!.Value - first.Result.InjectedAt!.Value, TimeSpan.FromMinutes(9.9), TimeSpan.FromMinutes(10.1));
        Assert.False(first.Result.Replayed);
        Assert.True(retry.Result.Replayed);
        Assert.Equal(first.FaultId, retry.FaultId);
        Assert.Equal(first.Result.Records[0].Sequence, retry.Result.Records[0].Sequence);
    }

    [RootFact]
    public async Task InjectXidAsync_UnknownXid_ThrowsTheProblemDetailsWithFieldErrors()
    {
        var problem = await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.InjectXidAsync(Node, 9999));

        Assert.Equal(HttpStatusCode.BadRequest, problem.StatusCode);
        Assert.Equal(400, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title));
        Assert.NotEmpty(problem.Errors);
        Assert.Contains("400", problem.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task InjectXidAsync_UnknownNodeOrGpu_Throws404Problems()
    {
        var node = await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.InjectXidAsync("no-such-node", 79));
        var gpu = await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.InjectXidAsync(Node, 79, gpuId: 99));

        Assert.Equal(HttpStatusCode.NotFound, node.StatusCode);
        Assert.Contains("no-such-node", node.Detail ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, gpu.StatusCode);
        Assert.Equal(Node, gpu.Extensions["node_name"].GetString());
    }

    [RootFact]
    public async Task InjectSxidAsync_DryRunOnTheNodesNvSwitch_ReturnsTheSxidLine()
    {
        var nodes = await _client.ListNodesAsync();
        var node = Assert.Single(nodes.Nodes);
        var nvswitch = Assert.Single(node.Nvswitches, s => s.Instance == node.Nvswitches.Min(n => n.Instance));

        await using var fault = await _client.InjectSxidAsync(Node, 12028, nvswitch.Instance, link: 3, new SxidInjectionOptions { DryRun = true, Message = $"sxid {_runId}" });

        Assert.Equal("dry_run", fault.Result.Status);
        Assert.Equal(nvswitch.Instance, fault.Result.Nvswitch);
        Assert.Equal(3, fault.Result.Link);
        Assert.Contains("SXid", fault.Result.Line, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task InjectXidOnNodesAsync_SelectorDryRun_ReturnsOneFaultPerNode()
    {
        var result = await _client.InjectXidOnNodesAsync("pool=client-tests", 1, 79, options: new XidInjectionOptions { DryRun = true, FaultId = $"{_runId}-sel" });

        Assert.Equal("dry_run", result.Status);
        Assert.Equal("pool=client-tests", result.NodeSelector);
        var fault = Assert.Single(result.Faults);
        Assert.Equal(Node, fault.NodeName);
        Assert.Equal($"{_runId}-sel-{Node}", fault.FaultId);
    }

    [RootFact]
    public async Task ReadCalls_RealAgent_DescribeTheNodeCatalogAndHealth()
    {
        var nodes = await _client.ListNodesAsync();
        var catalog = await _client.GetXidTypesAsync();
        var health = await _client.GetHealthAsync();
        var ready = await _client.GetReadyAsync();

        var node = Assert.Single(nodes.Nodes);
        Assert.Equal(Node, node.NodeName);
        Assert.Equal(8, node.Gpus.Count);
        Assert.Equal("client-tests", node.Labels["pool"]);
        Assert.All(node.Gpus, g => Assert.StartsWith("GPU-", g.Uuid, StringComparison.Ordinal));
        Assert.Equal(Node, catalog.SourceNode);
        Assert.Contains(catalog.Xids, x => x.Xid == 79 && x.DefaultMessage.Length > 0);
        Assert.NotEmpty(catalog.Sxids);
        Assert.Equal("healthy", health.Status);
        Assert.Equal("ready", ready.Status);
        Assert.Equal(1, ready.Agents);
    }

    [RootFact]
    public async Task Calls_WithAWrongToken_Throw401_ButHealthNeedsNone()
    {
        using var stranger = new FaultInjectionClient(product.ApiAddress, "wrong-token-0123456789abcdef");

        var problem = await Assert.ThrowsAsync<FaultInjectionApiException>(() => stranger.ListFaultsAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, problem.StatusCode);
        Assert.Equal("healthy", (await stranger.GetHealthAsync()).Status);
    }

    [RootFact]
    public async Task Calls_WithACancelledToken_AreCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.ListFaultsAsync(cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.InjectXidAsync(Node, 79, cancellationToken: cancelled.Token));
    }
}
