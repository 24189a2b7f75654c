using FaultApi.Suites;
using FaultApi.Tests.Drills;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Suites;

/// <summary>Finished suite records beyond <c>Suites:MaxRecords</c> are deleted, the longest-ended first.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class SuiteRecordLimitsTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    [RootFact]
    public async Task Prune_MoreFinishedSuitesThanMaxRecords_DeletesTheLongestEnded()
    {
        const string ns = "suites-prune";
        await using var api = cluster.NewApi(ns, new Dictionary<string, string?> { ["Suites:MaxRecords"] = "2", ["Drills:LeaseDuration"] = "00:10:00" });
        var store = api.Services.GetRequiredService<SuiteStore>();
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, hoursAgo) in new[] { ("0000000000000001", 3), ("0000000000000002", 2), ("0000000000000003", 1) })
        {
            await store.CreateAsync(new SuiteRecord { SuiteId = id, State = SuiteState.Passed, CreatedAt = now.AddHours(-hoursAgo - 1), EndedAt = now.AddHours(-hoursAgo) }, "test", now, CancellationToken.None);
        }

        var pruned = await api.Services.GetRequiredService<SuiteService>().PruneAsync(CancellationToken.None);

        // The API's own pruning round at start may have come first.
        Assert.InRange(pruned, 0, 1);
        Assert.Null(cluster.Kube.Get<V1ConfigMap>("ConfigMap", ns, "suite-0000000000000001"));
        Assert.NotNull(cluster.Kube.Get<V1ConfigMap>("ConfigMap", ns, "suite-0000000000000002"));
        Assert.NotNull(cluster.Kube.Get<V1ConfigMap>("ConfigMap", ns, "suite-0000000000000003"));
    }
}
