using System.Net;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Routing;
using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Drills;

/// <summary>
/// Two API replicas starting a drill on one node at once, against the fake Kubernetes API server and the real agent: of
/// the two drill records, at most one may go on to inject. Replica B's start is held in the API server between its check
/// (no drill running on the node) and the create of its record; replica A starts, finds no rival and injects; then B's
/// record is stored. B's record carries the earlier creation time (B's request came first), so the rule "the earliest
/// record keeps the node" let B inject too — a second drill on a node whose first was already under way.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DrillStartRaceTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    private readonly string _marker = "race-" + Guid.NewGuid().ToString("N")[..10];

    [RootFact]
    public async Task Start_SecondReplicasRecordStoredAfterTheFirstReplicaWentAhead_Is409_OnlyOneDrillRunsOnTheNode()
    {
        var node = await cluster.AddNodeAsync();
        await using var replicaB = cluster.NewApi();
        using var clientB = replicaB.CreateAuthenticatedClient();
        var routingB = replicaB.Services.GetRequiredService<IAgentDirectory>();
        await Eventually.TrueAsync(() => routingB.TryGetAgent(node, out _), $"replica B to route to {node}");
        var body = new { node_name = node, xid = 79, message = _marker, expect = new[] { "cordon" }, timeout_seconds = 120 };
        var (arrived, release) = cluster.Kube.HoldNextConfigMapCreate(m => m.Metadata.Labels is { } labels && labels.TryGetValue(DrillStore.NodeLabel, out var labelled) && labelled == node);
        var answers = new List<HttpResponseMessage>();
        try
        {
            var startB = cluster.StartDrillAsync(body, clientB);
            await arrived.WaitAsync(TimeSpan.FromSeconds(60));
            answers.Add(await cluster.StartDrillAsync(body));
            release();
            answers.Add(await startB);

            var (a, b) = (answers[0], answers[1]);
            var (aText, bText) = (await a.Content.ReadAsStringAsync(), await b.Content.ReadAsStringAsync());
            Assert.True(a.StatusCode == HttpStatusCode.Accepted, $"replica A: {(int)a.StatusCode} {aText}");
            Assert.True(b.StatusCode == HttpStatusCode.Conflict, $"replica B: {(int)b.StatusCode} {bText}");
            var winner = JsonDocument.Parse(aText).RootElement.GetProperty("drill_id").GetString()!;
            Assert.Contains(winner, bText, StringComparison.Ordinal);
            var running = (await replicaB.Services.GetRequiredService<DrillStore>().ListAsync(runningOnly: true, CancellationToken.None)).Where(d => d.Drill.NodeName == node).ToList();
            Assert.Equal(winner, Assert.Single(running).Drill.DrillId);
        }
        finally
        {
            release();
            var store = replicaB.Services.GetRequiredService<DrillStore>();
            foreach (var drill in (await store.ListAsync(runningOnly: true, CancellationToken.None)).Where(d => d.Drill.NodeName == node))
            {
                using var cancel = await cluster.Client.DeleteAsync(new Uri($"/api/v1/drills/{drill.Drill.DrillId}", UriKind.Relative));
            }

            answers.ForEach(r => r.Dispose());
        }
    }
}
