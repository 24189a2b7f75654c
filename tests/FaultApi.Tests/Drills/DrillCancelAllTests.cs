using FaultApi.Drills;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Drills;

/// <summary>
/// <see cref="DrillCancellation.CancelAllAsync"/>, the emergency stop's way to the drills, attempts every running drill:
/// one whose cancel fails (its record's write refused by the Kubernetes API) is named in its outcome, and the ones after
/// it are cancelled all the same.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DrillCancelAllTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    [RootFact]
    public async Task CancelAll_TheFirstDrillsCancelRefused_StillCancelsTheOthers_AndNamesTheRefusal()
    {
        // Two drills another replica follows (its lease fresh, and this API's too long to take them over).
        const string ns = "drills-cancel-all";
        await using var api = cluster.NewApi(ns, new Dictionary<string, string?> { ["Drills:LeaseDuration"] = "00:10:00" });
        var store = api.Services.GetRequiredService<DrillStore>();
        var now = DateTimeOffset.UtcNow;
        foreach (var id in new[] { "00000000000000a1", "00000000000000a2" })
        {
            await store.CreateAsync(new DrillRecord { DrillId = id, NodeName = "elsewhere", Code = 79, Expect = ["cordon"], TimeoutSeconds = 600, Caller = "alice", CreatedAt = now }, "other-replica", now, CancellationToken.None);
        }

        var listed = (await cluster.KubeClient.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "fault-injection/drill=true")).Items.Select(m => m.Metadata.Name["drill-".Length..]).ToList();
        var (refused, other) = (listed[0], listed[1]);
        cluster.Kube.RefuseConfigMapWrites(m => m.Metadata.Name == $"drill-{refused}" ? "admission webhook \"records.example\" denied the request: no cancels today" : null);
        try
        {
            var outcomes = await api.Services.GetRequiredService<DrillService>().CancelAllAsync("cancel-all test", CancellationToken.None);

            Assert.Equal(DrillState.Cancelled, (await store.GetAsync(other, CancellationToken.None))!.Drill.State);
            Assert.Contains(outcomes, o => o.Kind == "drill" && o.Id == other && o.Cancelled && o.State == "cancelled" && o.Error is null);
            var failed = Assert.Single(outcomes, o => o.Id == refused);
            Assert.False(failed.Cancelled);
            Assert.Contains("422", failed.Error, StringComparison.Ordinal);
            Assert.Contains("no cancels today", failed.Error, StringComparison.Ordinal);
        }
        finally
        {
            cluster.Kube.RefuseConfigMapWrites(null);
        }
    }
}
