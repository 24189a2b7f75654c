using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Drills;
using k8s;

namespace FaultApi.Tests.Drills;

/// <summary>
/// A small health monitor standing in for NVSentinel in the drill tests: it follows the machine's real /dev/kmsg from its
/// end (a <see cref="KernelLogTail"/>), matches Xid lines with NVSentinel's published pattern (syslog-health-monitor
/// pkg/patterns/xid.go <c>XIDPattern</c>, the quote in tests/FaultAgent.Tests/TestData/monitor_patterns.tsv), and for
/// the Xid record carrying its marker reacts through the Kubernetes API as NVSentinel's modules do: node condition
/// <c>SysLogsXIDError</c> True (strategic merge patch of the status), cordon, evict the node's non-DaemonSet pods, (a
/// reboot: a new bootID), then uncordon and clear the condition. Like a real monitor it goes on after records it lost
/// (other writers logging faster than it read, the ring overwrote them), but it names them: after a gap, until it saw
/// its line, it looks where the drill that wrote the line recorded its kernel sequence (the drill's ConfigMap on its
/// node, <c>kernel_sequence</c>), and a line in a gap completes <see cref="Lost"/>: a wait on its reaction through
/// <see cref="WatchingAsync{T}(Task{T})"/> then fails at once naming the sequence and the gap, and one that times out
/// names every gap in the monitor's window, or says there was none (<see cref="Account"/>).
/// </summary>
public sealed class StandInHealthMonitor : IAsyncDisposable
{
    /// <summary>NVIDIA NVSentinel, health-monitors/syslog-health-monitor/pkg/patterns/xid.go <c>XIDPattern</c> (6710970): group 1 PCI, group 2 Xid.</summary>
    public static readonly Regex NvSentinelXid = new(@"NVRM: Xid \(PCI:([0-9a-fA-F:.]+)\): (\d+)(?:, pid=(\d+))?(?:, name=([^,]+))?(?:, Ch ([0-9a-fA-F]+))?", RegexOptions.CultureInvariant);

    /// <summary>What every line <see cref="NvSentinelXid"/> matches contains: the tail yields only those records.</summary>
    public const string XidText = "NVRM: Xid (";

    private readonly IKubernetes _client;
    private readonly string _node;
    private readonly string _marker;
    private readonly MonitorActions _actions;
    private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly KernelLogTail _tail;
    private readonly Task _run;
    private Task? _checking;
    private long _xidRecordsRead;
    private long _detectedAt = -1;

    private StandInHealthMonitor(IKubernetes client, string node, string marker, MonitorActions actions, bool waitForGo, string? losing)
    {
        _client = client;
        _node = node;
        _marker = marker;
        _actions = actions;
        if (!waitForGo)
        {
            _go.SetResult();
        }

        _tail = new KernelLogTail(XidText, losing);
        _run = Task.Run(RunAsync);
    }

    /// <summary>The Xid line it matched (PCI, code, rest).</summary>
    public TaskCompletionSource<Match> Detected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes, with its account, when the monitor lost its line: the drill that wrote it recorded a kernel sequence in a gap of the monitor's reading.</summary>
    public Task<string> Lost => _lost.Task;

    /// <summary>Completes when every action was done.</summary>
    public Task Completion => _run;

    /// <param name="client">The Kubernetes API it reacts through.</param>
    /// <param name="node">The node it reacts on.</param>
    /// <param name="marker">The text its Xid line carries.</param>
    /// <param name="actions">What it does once it saw the line.</param>
    /// <param name="waitForGo">Reacts only after <see cref="Go"/>.</param>
    /// <param name="losing">Test-only: records containing this text are lost on purpose, as if the ring had overwritten them before the monitor read them.</param>
    public static StandInHealthMonitor Start(IKubernetes client, string node, string marker, MonitorActions actions, bool waitForGo = false, string? losing = null) =>
        new(client, node, marker, actions, waitForGo, losing);

    /// <summary>Lets a monitor started with <c>waitForGo</c> react.</summary>
    public void Go() => _go.TrySetResult();

    /// <summary>
    /// The result of <paramref name="wait"/> (something this monitor's reaction decides), unless the monitor lost its line:
    /// then a <see cref="KernelLogGapException"/> at once, naming it and the gap. A wait that times out says what the
    /// monitor saw and lost (<see cref="Account"/>).
    /// </summary>
    public Task<T> WatchingAsync<T>(Task<T> wait) => StandInMonitorWaits.WatchingAsync(wait, Lost, Account);

    /// <summary>As <see cref="WatchingAsync{T}(Task{T})"/> for a wait without a result.</summary>
    public Task WatchingAsync(Task wait) => StandInMonitorWaits.WatchingAsync(wait, Lost, Account);

    /// <summary>What the monitor saw and lost of the kernel log so far, for a failure message.</summary>
    public string Account()
    {
        var gaps = _tail.Gaps;
        var window = string.Create(CultureInfo.InvariantCulture, $"from sequence {_tail.StartedAt} on");
        var lost = gaps.Count == 0 ? $"it lost no record of the kernel log {window}" : $"it lost {KernelLogReader.Describe(gaps)} of the kernel log {window} (the ring overwrote them before its reader read them)";
        return Interlocked.Read(ref _detectedAt) is var at and >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"The stand-in monitor for '{_marker}' saw its Xid line at sequence {at}; {lost}.")
            : string.Create(CultureInfo.InvariantCulture, $"The stand-in monitor for '{_marker}' has not seen its Xid line ({Interlocked.Read(ref _xidRecordsRead)} other Xid record(s) read); {lost}{(gaps.Count == 0 ? "" : ": its line may be among them")}.");
    }

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

        try
        {
            await (_checking ?? Task.CompletedTask);
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
            if (await _tail.NextAsync(_stop.Token) is not { } next)
            {
                return;
            }

            if (next.IsGap)
            {
                // A real monitor reading /dev/kmsg goes on from the oldest record the ring still holds; so does this one,
                // and looks whether the gap held its line.
                _checking ??= Task.Run(CheckLostAsync);
                continue;
            }

            var text = next.Text!;
            var candidate = text.Contains(_marker, StringComparison.Ordinal) ? NvSentinelXid.Match(text) : Match.Empty;
            if (candidate.Success)
            {
                match = candidate;
                Interlocked.Exchange(ref _detectedAt, (long)next.First);
            }
            else
            {
                Interlocked.Increment(ref _xidRecordsRead);
            }
        }

        // Nothing more to read: its reader stops (the gaps it saw stay in the account).
        _tail.Dispose();
        Detected.TrySetResult(match);
        await _go.Task.WaitAsync(_stop.Token);
        await MonitorReaction.ApplyAsync(_client, _node, match, _actions, _stop.Token);
    }

    // From the first gap until the line is seen: where the drill that wrote the line says it is, every 200 ms.
    private async Task CheckLostAsync()
    {
        while (Interlocked.Read(ref _detectedAt) < 0 && !_stop.IsCancellationRequested)
        {
            if (await LineSequenceAsync() is { } line && _tail.Gaps.FirstOrDefault(g => g.First <= line.Sequence && line.Sequence <= g.Last) is { First: > 0 } gap)
            {
                _lost.TrySetResult(string.Create(CultureInfo.InvariantCulture, $"The stand-in monitor for '{_marker}' lost its Xid line: drill {line.DrillId} on {_node} wrote it at kernel sequence {line.Sequence}, in the gap {gap.First}-{gap.Last} ({KernelLogReader.Describe(_tail.Gaps)} lost from sequence {_tail.StartedAt} on): the ring overwrote it before the monitor's reader read it (other writers logged faster than it read), so it never reacts."));
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _stop.Token);
        }
    }

    // The drill on this node whose line carries the marker, and the kernel sequence its record says the line has.
    private async Task<(string DrillId, ulong Sequence)?> LineSequenceAsync()
    {
        var maps = await _client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: $"{DrillStore.NodeLabel}={_node}", cancellationToken: _stop.Token);
        foreach (var map in maps.Items)
        {
            if (map.Data?.TryGetValue("drill.json", out var json) != true)
            {
                continue;
            }

            using var drill = JsonDocument.Parse(json!);
            var root = drill.RootElement;
            if (root.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.String && line.GetString()!.Contains(_marker, StringComparison.Ordinal)
                && root.TryGetProperty("kernel_sequence", out var sequence) && sequence.ValueKind == JsonValueKind.Number)
            {
                return (root.GetProperty("drill_id").GetString()!, sequence.GetUInt64());
            }
        }

        return null;
    }
}
