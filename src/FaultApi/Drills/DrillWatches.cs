using System.Threading.Channels;
using FaultApi.Routing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FaultApi.Drills;

/// <summary>
/// What a <see cref="DrillFollower"/> sees of its node: the node's watch and the watch of the pods on it (no polling),
/// raising <see cref="Changed"/> on each event as it lands, and a wake-up signal the follower's loop waits on (a change,
/// or a time to save or end at).
/// </summary>
public sealed class DrillWatches : IAsyncDisposable
{
    private readonly DrillNodeWatch _node;
    private readonly DrillPodWatch _pods;
    private readonly TimeProvider _time;
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _watching = new();
    private readonly List<Task> _watchTasks = [];

    public DrillWatches(IKubernetes client, string nodeName, RoutingOptions routing, TimeProvider time, ILogger logger)
    {
        _time = time;
        _node = new DrillNodeWatch(client, nodeName, routing, time, logger);
        _pods = new DrillPodWatch(client, nodeName, routing, time, logger);
    }

    /// <summary>Raised on each event of either watch, on the watch's own thread.</summary>
    public event Action? Changed
    {
        add
        {
            _node.Changed += value;
            _pods.Changed += value;
        }

        remove
        {
            _node.Changed -= value;
            _pods.Changed -= value;
        }
    }

    /// <summary>The node as last seen (null before the first list, or if it is gone).</summary>
    public V1Node? Node => _node.Snapshot() is { Count: > 0 } nodes ? nodes[0] : null;

    public IReadOnlyList<V1Pod> Pods => _pods.Snapshot();

    /// <summary>True once both watches listed (before that, a pod missing only means "not listed yet").</summary>
    public bool HaveSynced => _node.HasSynced && _pods.HasSynced;

    /// <summary>Starts both watches and waits until both listed once (false after <paramref name="timeout"/>).</summary>
    public async Task<bool> StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _watchTasks.Add(Task.Run(() => _node.RunAsync(_watching.Token), CancellationToken.None));
        _watchTasks.Add(Task.Run(() => _pods.RunAsync(_watching.Token), CancellationToken.None));
        var deadline = _time.GetUtcNow() + timeout;
        while (!HaveSynced)
        {
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await WaitAsync(left, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Wakes the one waiting in <see cref="WaitAsync"/> (or the next to wait).</summary>
    public void Signal() => _changed.Writer.TryWrite(true);

    /// <summary>Waits for a <see cref="Signal"/> (one given since the last wait counts) or <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_changed.Reader.TryRead(out _))
        {
            return;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var change = _changed.Reader.WaitToReadAsync(waiting.Token).AsTask();
        var delay = Task.Delay(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, _time, waiting.Token);
        await Task.WhenAny(change, delay).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);
        _changed.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }

    public async ValueTask DisposeAsync()
    {
        await _watching.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_watchTasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _watching.Dispose();
    }
}
