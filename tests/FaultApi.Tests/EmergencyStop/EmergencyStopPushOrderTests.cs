using System.Net.Http.Json;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// The push to the agents comes before the listeners (drills): a caller that goes away while a slow listener runs cannot
/// keep the agents from the stop. The reconciler is slowed to once an hour, so only the request itself can have told them.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class EmergencyStopPushOrderTests : IAsyncLifetime
{
    private readonly RealAgentCluster _cluster = new(new Dictionary<string, string?> { ["Stop:ReconcileIntervalSeconds"] = "3600" });

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [RootFact]
    public async Task Stop_CallerGoesAwayWhileAListenerRuns_EveryAgentAlreadyHoldsTheStop()
    {
        var hold = new TaskCompletionSource();
        _cluster.Listener.Hold = hold;
        using var abort = new CancellationTokenSource();
        var call = _cluster.Client.PostAsJsonAsync("/api/v1/stop", new { reason = "aborted caller" }, abort.Token);
        try
        {
            await _cluster.Listener.Entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await abort.CancelAsync();

            for (var i = 0; i < 2; i++)
            {
                var held = await _cluster.AgentStopAsync(i);
                Assert.True(held.Engaged, $"agent {i} was not told before the listener ran");
                Assert.Equal("aborted caller", held.Reason);
            }
        }
        finally
        {
            hold.TrySetResult();
        }

        // The in-memory server may still deliver the answer once the listener is done; the caller has gone either way.
        try
        {
            await call;
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal("true", _cluster.StoredStop!["engaged"]);
    }
}
