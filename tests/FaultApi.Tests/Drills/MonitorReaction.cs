using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace FaultApi.Tests.Drills;

/// <summary>
/// What the stand-in monitors do to a node once they matched its Xid line, as NVSentinel's modules do through the
/// Kubernetes API, in this order: node condition <c>SysLogsXIDError</c> True (strategic merge patch of the status),
/// cordon, evict the node's non-DaemonSet pods, (a reboot: a new bootID), then uncordon and clear the condition.
/// </summary>
public static class MonitorReaction
{
    /// <summary>Does <paramref name="actions"/> to <paramref name="node"/> for <paramref name="match"/> (<see cref="StandInHealthMonitor.NvSentinelXid"/>: group 1 PCI, group 2 Xid).</summary>
    public static async Task ApplyAsync(IKubernetes client, string node, Match match, MonitorActions actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(match);
        var xid = match.Groups[2].Value;
        var pci = match.Groups[1].Value;
        if (actions.HasFlag(MonitorActions.Condition))
        {
            await PatchStatusAsync(client, node, Condition("True", "SysLogsXIDErrorIsNotHealthy", $"ErrorCode:{xid} PCI:{pci} Recommended Action=RESTART_BM;"), cancellationToken);
        }

        if (actions.HasFlag(MonitorActions.Cordon))
        {
            await client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":true}}", V1Patch.PatchType.MergePatch), node, cancellationToken: cancellationToken);
        }

        if (actions.HasFlag(MonitorActions.Drain))
        {
            var pods = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}", cancellationToken: cancellationToken);
            foreach (var pod in pods.Items.Where(p => p.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet") != true))
            {
                await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            }
        }

        if (actions.HasFlag(MonitorActions.Reboot))
        {
            await PatchStatusAsync(client, node, new { status = new { nodeInfo = new { bootID = Guid.NewGuid().ToString() } } }, cancellationToken);
        }

        if (actions.HasFlag(MonitorActions.Recover))
        {
            await PatchStatusAsync(client, node, Condition("False", "SysLogsXIDErrorIsHealthy", "No Health Failures"), cancellationToken);
            await client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":false}}", V1Patch.PatchType.MergePatch), node, cancellationToken: cancellationToken);
        }
    }

    private static object Condition(string status, string reason, string message)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return new { status = new { conditions = new[] { new { type = "SysLogsXIDError", status, reason, message, lastHeartbeatTime = now, lastTransitionTime = now } } } };
    }

    private static Task<V1Node> PatchStatusAsync(IKubernetes client, string node, object patch, CancellationToken cancellationToken) =>
        client.CoreV1.PatchNodeStatusAsync(new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.StrategicMergePatch), node, cancellationToken: cancellationToken);
}
