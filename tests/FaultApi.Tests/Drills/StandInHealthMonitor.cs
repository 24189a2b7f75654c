using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace FaultApi.Tests.Drills;

/// <summary>
/// A small health monitor standing in for NVSentinel in the drill tests: it tails the machine's real /dev/kmsg from its
/// end, matches Xid lines with NVSentinel's published pattern (syslog-health-monitor pkg/patterns/xid.go <c>XIDPattern</c>,
/// the quote in tests/FaultAgent.Tests/TestData/monitor_patterns.tsv), and for the Xid record carrying its marker reacts through the
/// Kubernetes API as NVSentinel's modules do: node condition <c>SysLogsXIDError</c> True (strategic merge patch of the
/// status), cordon, evict the node's non-DaemonSet pods, (a reboot: a new bootID), then uncordon and clear the condition.
/// </summary>
public sealed class StandInHealthMonitor : IAsyncDisposable
{
    /// <summary>NVIDIA NVSentinel, health-monitors/syslog-health-monitor/pkg/patterns/xid.go <c>XIDPattern</c> (6710970): group 1 PCI, group 2 Xid.</summary>
    public static readonly Regex NvSentinelXid = new(@"NVRM: Xid \(PCI:([0-9a-fA-F:.]+)\): (\d+)(?:, pid=(\d+))?(?:, name=([^,]+))?(?:, Ch ([0-9a-fA-F]+))?", RegexOptions.CultureInvariant);

    private readonly IKubernetes _client;
    private readonly string _node;
    private readonly string _marker;
    private readonly MonitorActions _actions;
    private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly KernelLogTail _tail = new();
    private readonly Task _run;

    private StandInHealthMonitor(IKubernetes client, string node, string marker, MonitorActions actions, bool waitForGo)
    {
        _client = client;
        _node = node;
        _marker = marker;
        _actions = actions;
        if (!waitForGo)
        {
            _go.SetResult();
        }

        _run = Task.Run(RunAsync);
    }

    /// <summary>The Xid line it matched (PCI, code, rest).</summary>
    public TaskCompletionSource<Match> Detected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when every action was done.</summary>
    public Task Completion => _run;

    public static StandInHealthMonitor Start(IKubernetes client, string node, string marker, MonitorActions actions, bool waitForGo = false) =>
        new(client, node, marker, actions, waitForGo);

    /// <summary>Lets a monitor started with <c>waitForGo</c> react.</summary>
    public void Go() => _go.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _go.TrySetCanceled();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        _tail.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        Match? match = null;
        while (match is null)
        {
            var text = await Task.Run(() => _tail.Next(_stop.Token));
            if (text is null)
            {
                return;
            }

            var candidate = NvSentinelXid.Match(text);
            if (candidate.Success && text.Contains(_marker, StringComparison.Ordinal))
            {
                match = candidate;
            }
        }

        Detected.TrySetResult(match);
        await _go.Task.WaitAsync(_stop.Token);
        var xid = match.Groups[2].Value;
        var pci = match.Groups[1].Value;
        if (_actions.HasFlag(MonitorActions.Condition))
        {
            await PatchStatusAsync(Condition("True", "SysLogsXIDErrorIsNotHealthy", $"ErrorCode:{xid} PCI:{pci} Recommended Action=RESTART_BM;"));
        }

        if (_actions.HasFlag(MonitorActions.Cordon))
        {
            await _client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":true}}", V1Patch.PatchType.MergePatch), _node, cancellationToken: _stop.Token);
        }

        if (_actions.HasFlag(MonitorActions.Drain))
        {
            var pods = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={_node}", cancellationToken: _stop.Token);
            foreach (var pod in pods.Items.Where(p => p.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet") != true))
            {
                await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: _stop.Token);
            }
        }

        if (_actions.HasFlag(MonitorActions.Reboot))
        {
            await PatchStatusAsync(new { status = new { nodeInfo = new { bootID = Guid.NewGuid().ToString() } } });
        }

        if (_actions.HasFlag(MonitorActions.Recover))
        {
            await PatchStatusAsync(Condition("False", "SysLogsXIDErrorIsHealthy", "No Health Failures"));
            await _client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":false}}", V1Patch.PatchType.MergePatch), _node, cancellationToken: _stop.Token);
        }
    }

    private static object Condition(string status, string reason, string message)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return new { status = new { conditions = new[] { new { type = "SysLogsXIDError", status, reason, message, lastHeartbeatTime = now, lastTransitionTime = now } } } };
    }

    private Task<V1Node> PatchStatusAsync(object patch) =>
        _client.CoreV1.PatchNodeStatusAsync(new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.StrategicMergePatch), _node, cancellationToken: _stop.Token);
}
