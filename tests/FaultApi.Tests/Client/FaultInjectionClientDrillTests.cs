using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Client;
using FaultInjection.Client.Drills;

namespace FaultApi.Tests.Client;

/// <summary>
/// The .NET client's drill calls against the real API in Kubernetes routing mode (the drill tests' <see cref="DrillCluster"/>:
/// fake Kubernetes API server, real agent writing the real /dev/kmsg) with the stand-in NVSentinel reacting to the line.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultInjectionClientDrillTests(DrillCluster cluster) : IClassFixture<DrillCluster>, IDisposable
{
    private readonly string _marker = $"client-drill-{Guid.NewGuid():N}"[..24];
    private readonly FaultInjectionClient _client = new(cluster.Api.CreateClient(), ApiApplicationFactory.AliceToken);

    public void Dispose() => _client.Dispose();

    [RootFact]
    public async Task RunDrillAsync_MonitorReacts_ReturnsThePassedTimeline()
    {
        var node = await cluster.AddNodeAsync();
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Condition | MonitorActions.Cordon);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var drill = await monitor.WatchingAsync(_client.RunDrillAsync(DrillRequest.ForXid(node, 79, ["condition:SysLogsXIDError", "cordon"], gpuId: 0, TimeSpan.FromSeconds(60), $"GPU has fallen off the bus. {_marker}"), deadline.Token));

        Assert.True(drill.Passed, $"{drill.State}: {drill.Reason}\n{monitor.Account()}");
        Assert.True(drill.IsFinished);
        Assert.Equal(node, drill.NodeName);
        Assert.Equal(("xid", 79), (drill.Kind, drill.Code));
        Assert.Empty(drill.Missing);
        Assert.NotNull(drill.EndedAt);
        Assert.Contains("NVRM: Xid (PCI:0000:18:00): 79,", drill.Line, StringComparison.Ordinal);
        Assert.Equal(["injected", "condition:SysLogsXIDError", "cordon"], drill.Steps.Select(s => s.Step));
        Assert.Equal(0, drill.Steps[0].SecondsSinceInjection);
        Assert.Equal(drill.InjectedAt, drill.Steps[0].ObservedAt);
        Assert.All(drill.Steps, s => Assert.InRange(s.SecondsSinceInjection, 0, 60));
        Assert.Equal("SysLogsXIDErrorIsNotHealthy", drill.Steps[1].Evidence["reason"]);
        Assert.StartsWith("ErrorCode:79 PCI:0000:18:00", drill.Steps[1].Evidence["message"], StringComparison.Ordinal);
        Assert.Contains($"training/trainer-0-{node}", drill.Baseline.Pods);

        var listed = await _client.ListDrillsAsync(node);
        Assert.Equal(1, listed.Count);
        Assert.Equal(drill.DrillId, Assert.Single(listed.Drills).DrillId);

        // After the end the stream replays every step, then the verdict, and ends.
        var events = new List<DrillEvent>();
        await foreach (var drillEvent in _client.StreamDrillEventsAsync(drill.DrillId, deadline.Token))
        {
            events.Add(drillEvent);
        }

        Assert.Equal(["step", "step", "step", "verdict"], events.Select(e => e.Event));
        Assert.Equal([0, 1, 2], events.Take(3).Select(e => e.Index ?? -1));
        Assert.Equal(drill.Steps.Select(s => s.Step), events.Take(3).Select(e => e.Step!.Step));
        var verdict = events[^1].Verdict!;
        Assert.Equal((drill.DrillId, DrillStates.Passed, 3), (verdict.DrillId, verdict.State, verdict.Steps));

        // Cancelling a finished drill returns it unchanged.
        Assert.Equal(DrillStates.Passed, (await _client.CancelDrillAsync(drill.DrillId, "too late")).State);
    }

    [RootFact]
    public async Task RunDrillAsync_NoReaction_ReturnsTheFailedDrillAtItsTimeout()
    {
        var node = await cluster.AddNodeAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var drill = await _client.RunDrillAsync(DrillRequest.ForXid(node, 48, ["cordon", "taint:trainy.konduktor.ai/faulty"], timeout: TimeSpan.FromSeconds(2), message: _marker), deadline.Token);

        Assert.Equal(DrillStates.Failed, drill.State);
        Assert.False(drill.Passed);
        Assert.Equal("Timed out after 2 s; never observed: cordon, taint:trainy.konduktor.ai/faulty.", drill.Reason);
        Assert.Equal(["cordon", "taint:trainy.konduktor.ai/faulty"], drill.Missing);
        Assert.Equal(["injected"], drill.Steps.Select(s => s.Step));
        Assert.Equal(2, drill.TimeoutSeconds);
    }

    [RootFact]
    public async Task RunDrillAsync_CallerCancels_CancelsTheDrillOnTheServer()
    {
        var node = await cluster.AddNodeAsync();
        var followed = new RequestSignalHandler("/events");
        using var client = new FaultInjectionClient(cluster.Api.CreateDefaultClient(followed), ApiApplicationFactory.AliceToken);
        using var cancel = new CancellationTokenSource();

        var run = client.RunDrillAsync(DrillRequest.ForXid(node, 79, ["cordon"], timeout: TimeSpan.FromMinutes(5), message: _marker), cancel.Token);
        await followed.Sent.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var drill = Assert.Single((await _client.ListDrillsAsync(node)).Drills);
        Assert.Equal(DrillStates.Cancelled, drill.State);
        Assert.Contains("client cancelled", drill.Reason, StringComparison.Ordinal);
        Assert.Contains("alice", drill.Reason, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task GetDrillAsync_UnknownOrMalformedId_Throws404Or400ProblemDetails()
    {
        var unknown = await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.GetDrillAsync(Guid.NewGuid().ToString("N")[..16]));
        var malformed = await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.CancelDrillAsync("not-a-drill", "test"));

        Assert.Equal(404, unknown.Status);
        Assert.Equal(400, malformed.Status);
        Assert.Equal(["drill_id"], malformed.Errors.Keys);
    }
}
