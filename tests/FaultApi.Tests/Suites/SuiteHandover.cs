using FaultApi.Drills;
using FaultApi.Suites;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Suites;

/// <summary>
/// A suite's end held in one replica while another takes the suite over: the resume tests' handover
/// (<see cref="SuiteResumeAfterCancelTests"/>, <see cref="SuiteTwoOutsideCancelsTests"/>).
/// </summary>
public static class SuiteHandover
{
    /// <summary>Holds the next save of suite <paramref name="suiteId"/>'s end (its state label no longer running) in the fake Kubernetes API server.</summary>
    public static (Task<k8s.Models.V1ConfigMap> Arrived, Action Release) HoldEndSave(DrillCluster cluster, string suiteId)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.Kube.HoldNextConfigMapReplace(m => m.Metadata.Name == $"suite-{suiteId}"
            && m.Metadata.Labels?.TryGetValue("fault-injection/suite-state", out var state) == true && state != "running");
    }

    /// <summary>
    /// Waits until another replica took suite <paramref name="suiteId"/> over from <paramref name="holder"/> (its record
    /// no longer names <paramref name="holder"/>'s identity: that holder's lease, renewed by its saves, expired), then
    /// releases <paramref name="holder"/>'s held save (it lands on the taker's write: 409) and waits until
    /// <paramref name="holder"/> stops running the suite.
    /// </summary>
    public static async Task ReleaseOnceTakenOverAsync(DrillCluster cluster, string ns, string suiteId, ApiApplicationFactory holder, Action releaseHeldSave)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(releaseHeldSave);
        var identity = holder.Services.GetRequiredService<DrillService>().Identity;
        await Eventually.TrueAsync(
            () => cluster.Kube.GetConfigMap(ns, $"suite-{suiteId}") is not { } stored
                || !(stored.Metadata.Annotations?.TryGetValue(SuiteStore.HolderAnnotation, out var held) == true && held == identity),
            "another replica to take the suite over",
            TimeSpan.FromSeconds(60));
        releaseHeldSave();
        var suites = holder.Services.GetRequiredService<SuiteService>();
        await Eventually.TrueAsync(() => !suites.Running.Contains(suiteId), "the first replica to stop running the suite");
    }
}
