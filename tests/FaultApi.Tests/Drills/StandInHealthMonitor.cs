using System.Text.RegularExpressions;
using k8s;

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
        await MonitorReaction.ApplyAsync(_client, _node, match, _actions, _stop.Token);
    }
}
