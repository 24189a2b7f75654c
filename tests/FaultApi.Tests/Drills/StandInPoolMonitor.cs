using System.Text.RegularExpressions;
using FaultInjection.Client;
using FaultInjection.Client.Drills;
using k8s;

namespace FaultApi.Tests.Drills;

/// <summary>
/// A stand-in NVSentinel for a pool of nodes, for suites whose file carries no test marker (examples/suites): it tails
/// the machine's real /dev/kmsg, matches Xid lines with NVSentinel's published pattern, and reacts on the node whose
/// drill wrote that line. On a real cluster each node's monitor reads its own kernel log; here every test node's agent
/// writes the one kernel log of this machine, so the monitor tells the nodes apart by the running drills' recorded
/// lines (<c>GET /api/v1/drills</c>: the line a drill wrote on its node), each running drill claimed once. Lines no
/// drill of this cluster wrote (other tests') are ignored. What it does per drill is <c>reactions(xid, node)</c>.
/// </summary>
public sealed class StandInPoolMonitor : IAsyncDisposable
{
    private readonly IKubernetes _kube;
    private readonly FaultInjectionClient _api;
    private readonly Func<int, string, MonitorActions> _reactions;
    private readonly CancellationTokenSource _stop = new();
    private readonly KernelLogTail _tail = new();
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly List<Task> _reacting = [];
    private readonly Task _run;

    private StandInPoolMonitor(IKubernetes kube, FaultInjectionClient api, Func<int, string, MonitorActions> reactions)
    {
        _kube = kube;
        _api = api;
        _reactions = reactions;
        _run = Task.Run(RunAsync);
    }

    /// <summary>The drills it reacted to (drill id, node, Xid, what it did).</summary>
    public List<(string DrillId, string Node, int Xid, MonitorActions Actions)> Reactions { get; } = [];

    public static StandInPoolMonitor Start(IKubernetes kube, FaultInjectionClient api, Func<int, string, MonitorActions> reactions) => new(kube, api, reactions);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
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
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var text = await Task.Run(() => _tail.Next(_stop.Token));
            if (text is null)
            {
                return;
            }

            var match = StandInHealthMonitor.NvSentinelXid.Match(text);
            if (match.Success)
            {
                lock (_claimed)
                {
                    _reacting.Add(Task.Run(() => ReactAsync(Key(text), match)));
                }
            }
        }
    }

    // The record from "NVRM: Xid (" on: the kernel log's text and the drill's recorded line may differ in what precedes it.
    private static string? Key(string text)
    {
        var match = StandInHealthMonitor.NvSentinelXid.Match(text);
        return match.Success ? text[match.Index..].Trim() : null;
    }

    // The drill that wrote this line is recorded (its line, state running) just after the agent's write: look for a
    // few seconds, then give up (a line of another test's cluster).
    private async Task ReactAsync(string? line, Match match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !_stop.IsCancellationRequested)
        {
            var drills = await _api.ListDrillsAsync(cancellationToken: _stop.Token);
            Drill? drill;
            lock (_claimed)
            {
                drill = drills.Drills.FirstOrDefault(d => d.State == DrillStates.Running && d.Line is not null && Key(d.Line) == line && !_claimed.Contains(d.DrillId));
                if (drill is not null)
                {
                    _claimed.Add(drill.DrillId);
                }
            }

            if (drill is not null)
            {
                var actions = _reactions(drill.Code, drill.NodeName);
                lock (_claimed)
                {
                    Reactions.Add((drill.DrillId, drill.NodeName, drill.Code, actions));
                }

                await MonitorReaction.ApplyAsync(_kube, drill.NodeName, match, actions, _stop.Token);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _stop.Token);
        }
    }
}
