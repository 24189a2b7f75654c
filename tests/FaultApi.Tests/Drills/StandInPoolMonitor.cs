using System.Globalization;
using System.Text.RegularExpressions;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Client;
using FaultInjection.Client.Drills;
using k8s;

namespace FaultApi.Tests.Drills;

/// <summary>
/// A stand-in NVSentinel for a pool of nodes, for suites whose file carries no test marker (examples/suites): it follows
/// the machine's real /dev/kmsg (a <see cref="KernelLogTail"/>), matches Xid lines with NVSentinel's published pattern,
/// and reacts on the node whose drill wrote that line. On a real cluster each node's monitor reads its own kernel log;
/// here every test node's agent writes the one kernel log of this machine, so the monitor tells the nodes apart by the
/// running drills' recorded lines (<c>GET /api/v1/drills</c>: the line a drill wrote on its node), each running drill
/// claimed once, each line looked for among them for 10 s after it was read. Lines no drill of this cluster wrote
/// (other tests', other writers') are ignored. What it does per drill is <c>reactions(xid, node)</c>. The lines waiting
/// for their drill are looked up together, one listing per 200 ms, so a flood of other writers' Xid lines costs memory,
/// not a request each. A running drill whose recorded kernel sequence lies in a gap of the monitor's reading (the ring
/// overwrote it before the monitor read it) completes <see cref="Lost"/>, naming the drill and the gap.
/// </summary>
public sealed class StandInPoolMonitor : IAsyncDisposable
{
    private static readonly TimeSpan LookFor = TimeSpan.FromSeconds(10);
    private readonly IKubernetes _kube;
    private readonly FaultInjectionClient _api;
    private readonly Func<int, string, MonitorActions> _reactions;
    private readonly CancellationTokenSource _stop = new();
    private readonly KernelLogTail _tail;
    private readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<(DateTime Until, Match Match)>> _waiting = new(StringComparer.Ordinal);
    private readonly Queue<(DateTime Until, string Line)> _expiry = new();
    private readonly List<(ulong First, ulong Last)> _gaps = [];
    private readonly List<Task> _reacting = [];
    private readonly Task _run;
    private readonly Task _poll;
    private DateTime _lookForLostUntil;

    private StandInPoolMonitor(IKubernetes kube, FaultInjectionClient api, Func<int, string, MonitorActions> reactions, string? losing)
    {
        _kube = kube;
        _api = api;
        _reactions = reactions;
        _tail = new KernelLogTail(StandInHealthMonitor.XidText, losing);
        _run = Task.Run(RunAsync);
        _poll = Task.Run(PollAsync);
    }

    /// <summary>The drills it reacted to (drill id, node, Xid, what it did).</summary>
    public List<(string DrillId, string Node, int Xid, MonitorActions Actions)> Reactions { get; } = [];

    /// <summary>Completes, with its account, when a running drill's line was in a gap of the monitor's reading.</summary>
    public Task<string> Lost => _lost.Task;

    /// <param name="kube">The Kubernetes API it reacts through.</param>
    /// <param name="api">The API whose running drills it reacts to.</param>
    /// <param name="reactions">What it does for a drill's Xid on its node.</param>
    /// <param name="losing">Test-only: records containing this text are lost on purpose, as if the ring had overwritten them before the monitor read them.</param>
    public static StandInPoolMonitor Start(IKubernetes kube, FaultInjectionClient api, Func<int, string, MonitorActions> reactions, string? losing = null) => new(kube, api, reactions, losing);

    /// <summary>
    /// The result of <paramref name="wait"/> (something this monitor's reactions decide), unless the monitor lost a
    /// running drill's line: then a <see cref="KernelLogGapException"/> at once, naming it. A wait that times out says
    /// what the monitor did and lost (<see cref="Account"/>).
    /// </summary>
    public Task<T> WatchingAsync<T>(Task<T> wait) => StandInMonitorWaits.WatchingAsync(wait, Lost, Account);

    /// <summary>What the monitor reacted to and lost of the kernel log so far, for a failure message.</summary>
    public string Account()
    {
        var gaps = _tail.Gaps;
        int reacted;
        lock (_claimed)
        {
            reacted = Reactions.Count;
        }

        var window = string.Create(CultureInfo.InvariantCulture, $"from sequence {_tail.StartedAt} on");
        return gaps.Count == 0
            ? $"The stand-in pool monitor reacted to {reacted} drill(s); it lost no record of the kernel log {window}."
            : $"The stand-in pool monitor reacted to {reacted} drill(s); it lost {KernelLogReader.Describe(gaps)} of the kernel log {window} (the ring overwrote them before its reader read them).";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
            await _poll;
            Task[] reacting;
            lock (_claimed)
            {
                reacting = [.. _reacting];
            }

            await Task.WhenAll(reacting);
        }
        catch (OperationCanceledException)
        {
        }

        _tail.Dispose();
        _wake.Dispose();
        _stop.Dispose();
    }

    // The record from "NVRM: Xid (" on: the kernel log's text and the drill's recorded line may differ in what precedes it.
    private static string Key(string text, Match match) => text[match.Index..].Trim();

    private static string? Key(string text) => StandInHealthMonitor.NvSentinelXid.Match(text) is { Success: true } match ? Key(text, match) : null;

    private async Task RunAsync()
    {
        while (await _tail.NextAsync(_stop.Token) is { } next)
        {
            lock (_claimed)
            {
                if (next.IsGap)
                {
                    _gaps.Add((next.First, next.Last));
                    _lookForLostUntil = DateTime.UtcNow + LookFor;
                }
                else if (StandInHealthMonitor.NvSentinelXid.Match(next.Text!) is { Success: true } match)
                {
                    var line = Key(next.Text!, match);
                    if (!_waiting.TryGetValue(line, out var matches))
                    {
                        _waiting[line] = matches = new Queue<(DateTime, Match)>();
                    }

                    var until = DateTime.UtcNow + LookFor;
                    matches.Enqueue((until, match));
                    _expiry.Enqueue((until, line));
                }
                else
                {
                    continue;
                }
            }

            _wake.Release();
        }
    }

    // The drill that wrote a line is recorded (its line, state running) just after the agent's write: each line is looked
    // for among the running drills for 10 s, then given up (a line of another test's cluster, or another writer's). A
    // drill's kernel sequence is recorded with it: for 10 s after a gap, the running drills are also checked against it.
    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            bool work;
            lock (_claimed)
            {
                var now = DateTime.UtcNow;
                while (_expiry.TryPeek(out var oldest) && oldest.Until <= now)
                {
                    _ = _expiry.Dequeue();
                    if (_waiting.TryGetValue(oldest.Line, out var matches))
                    {
                        while (matches.TryPeek(out var waiting) && waiting.Until <= now)
                        {
                            _ = matches.Dequeue();
                        }

                        if (matches.Count == 0)
                        {
                            _ = _waiting.Remove(oldest.Line);
                        }
                    }
                }

                work = _waiting.Count > 0 || now < _lookForLostUntil;
            }

            if (!work)
            {
                await _wake.WaitAsync(_stop.Token);
                continue;
            }

            var drills = await _api.ListDrillsAsync(cancellationToken: _stop.Token);
            lock (_claimed)
            {
                foreach (var drill in drills.Drills.Where(d => d.State == DrillStates.Running && d.Line is not null && !_claimed.Contains(d.DrillId)))
                {
                    if (drill.KernelSequence is { } sequence && _gaps.FirstOrDefault(g => g.First <= sequence && sequence <= g.Last) is { First: > 0 } gap)
                    {
                        _lost.TrySetResult(string.Create(CultureInfo.InvariantCulture, $"The stand-in pool monitor lost drill {drill.DrillId}'s line on {drill.NodeName} (kernel sequence {sequence}, in the gap {gap.First}-{gap.Last}; {KernelLogReader.Describe(_gaps)} lost from sequence {_tail.StartedAt} on): the ring overwrote it before its reader read it (other writers logged faster than it read), so it never reacts to that drill."));
                        continue;
                    }

                    if (Key(drill.Line!) is { } line && _waiting.TryGetValue(line, out var matches) && matches.TryDequeue(out var waiting))
                    {
                        if (matches.Count == 0)
                        {
                            _ = _waiting.Remove(line);
                        }

                        _claimed.Add(drill.DrillId);
                        var actions = _reactions(drill.Code, drill.NodeName);
                        Reactions.Add((drill.DrillId, drill.NodeName, drill.Code, actions));
                        _reacting.Add(Task.Run(() => MonitorReaction.ApplyAsync(_kube, drill.NodeName, waiting.Match, actions, _stop.Token)));
                    }
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _stop.Token);
        }
    }
}
