using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// The emergency stop engaged while callers flood the API with injections, against two REAL agents writing the
/// machine's kernel log (<see cref="RealAgentCluster"/>): the stop shares no limiter, semaphore or queue with the
/// injections, so it answers 200 while they are in flight, and no injection sent after its answer is written anywhere.
/// Nothing is timed: how long the engage takes under load is BENCHMARKS.md's (redteam3 section).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopUnderLoadTests : IAsyncLifetime
{
    private const int Callers = 64;
    private readonly string _runId = $"flood{Guid.NewGuid():N}"[..16];
    private readonly RealAgentCluster _cluster = new();
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agents could write

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _kernelLog.Dispose();
    }

    [RootFact]
    public async Task Stop_EngagedWhileManyInjectionsAreInFlight_Answers200_AndNoInjectionSentAfterItsAnswerIsWritten()
    {
        var callers = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            callers.Add(await _cluster.AddReplicaClient());
        }

        var answered = 0; // set once the stop's 200 is in
        var inFlight = 0;
        var sent = 0;
        var afterStop = new ConcurrentBag<(string Message, HttpStatusCode Status)>();
        using var done = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Callers).Select(w => Task.Run(async () =>
        {
            var client = callers[w % callers.Count];
            for (var k = 0; !done.IsCancellationRequested; k++)
            {
                var sentAfterStop = Volatile.Read(ref answered) == 1;
                var message = $"{_runId} {(sentAfterStop ? "after" : "before")} w{w} #{k}";
                Interlocked.Increment(ref inFlight);
                Interlocked.Increment(ref sent);
                using var response = await RealAgentCluster.InjectAsync(client, RealAgentCluster.NodeName(k % 2), message);
                Interlocked.Decrement(ref inFlight);
                if (sentAfterStop)
                {
                    afterStop.Add((message, response.StatusCode));
                }
            }
        })).ToList();

        try
        {
            // The flood is under way: every caller has sent, and more than one round went through.
            await Eventually.TrueAsync(() => Volatile.Read(ref sent) >= Callers * 3, "the flood to be under way", TimeSpan.FromSeconds(60));
            var inFlightAtEngage = Volatile.Read(ref inFlight);

            using var stop = await _cluster.Client.PostAsJsonAsync(new Uri("/api/v1/stop", UriKind.Relative), new { reason = $"flood {_runId}" });
            Volatile.Write(ref answered, 1);

            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
            Assert.True(inFlightAtEngage > 0, "no injection was in flight when the stop was sent");
            await Eventually.TrueAsync(() => afterStop.Count >= Callers * 3, "injections sent after the stop's answer", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await done.CancelAsync();
            await Task.WhenAll(workers);
        }

        // Every injection sent after the stop's 200 was refused, and none reached the kernel log.
        Assert.All(afterStop, a => Assert.True(!((int)a.Status is >= 200 and < 300), $"{a.Message}: {a.Status}"));
        Assert.Contains(afterStop, a => a.Status == HttpStatusCode.Locked);
        Assert.Empty(_kernelLog.SnapshotContaining($"{_runId} after"));
        Assert.NotEmpty(_kernelLog.SnapshotContaining($"{_runId} before"));
        foreach (var i in new[] { 0, 1 })
        {
            Assert.True((await _cluster.AgentStopAsync(i)).Engaged);
        }
    }
}
