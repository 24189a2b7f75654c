using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FaultApi.Routing;

/// <summary>
/// List-then-watch of one kind of Kubernetes object (after microsoft/reverse-proxy's ResourceInformer): lists, then
/// watches from the list's resourceVersion; a watch that ends is resumed from the last version seen; a failed list or
/// watch is retried after an exponential backoff with jitter (<see cref="TimeProvider"/>); 410 Gone re-lists.
/// Each full list replaces the store; each event updates it. <see cref="Changed"/> is raised after every change.
/// </summary>
public abstract class KubernetesResourceInformer<TResource>
    where TResource : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<string, TResource> _store = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private long _watchRestarts;
    private readonly TimeSpan _initialBackoff;
    private readonly TimeSpan _maxBackoff;
    private string? _resourceVersion;

    /// <summary>Watches restarted so far: ended by the server, 410 Gone (re-list), or failed (after a backoff).</summary>
    public long WatchRestarts => Interlocked.Read(ref _watchRestarts);

    protected KubernetesResourceInformer(TimeProvider timeProvider, ILogger logger, TimeSpan initialBackoff, TimeSpan maxBackoff)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        _initialBackoff = initialBackoff;
        _maxBackoff = maxBackoff;
    }

    /// <summary>Raised (on the informer's task) after a list or an event changed the store.</summary>
    public event Action? Changed;

    /// <summary>True once the first list landed.</summary>
    public bool HasSynced { get; private set; }

    /// <summary>Number of full lists done (the first sync and every re-list).</summary>
    public int ListCount { get; private set; }

    protected abstract string Kind { get; }

    public IReadOnlyList<TResource> Snapshot()
    {
        lock (_gate)
        {
            return [.. _store.Values];
        }
    }

    protected abstract Task<(IReadOnlyList<TResource> Items, string? ResourceVersion)> ListAsync(CancellationToken cancellationToken);

    /// <summary>Watches from <paramref name="resourceVersion"/>; errors the server sends as events (e.g. 410 Gone) go to <paramref name="onError"/>.</summary>
    protected abstract IAsyncEnumerable<(WatchEventType Type, TResource Item)> WatchAsync(string? resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    var (items, version) = await ListAsync(cancellationToken).ConfigureAwait(false);
                    Replace(items, version);
                    needList = false;
                    RoutingLog.Listed(_logger, Kind, items.Count, version);
                }

                var watchErrors = new List<Exception>();
                await foreach (var (type, item) in WatchAsync(_resourceVersion, watchErrors.Add, cancellationToken).ConfigureAwait(false))
                {
                    Apply(type, item);
                    failures = 0;
                }

                if (watchErrors.Count > 0)
                {
                    throw watchErrors.FirstOrDefault(IsGone) ?? watchErrors[0];
                }

                // The server closed the watch (its timeout, or a dropped connection that ended cleanly): resume at once.
                Interlocked.Increment(ref _watchRestarts);
                RoutingLog.WatchEnded(_logger, Kind, _resourceVersion);
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsGone(ex))
            {
                Interlocked.Increment(ref _watchRestarts);
                RoutingLog.Gone(_logger, Kind, _resourceVersion);
                needList = true;
                continue;
            }
#pragma warning disable CA1031 // A watch loop must survive every failure of the API server or the network.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                Interlocked.Increment(ref _watchRestarts);
                var delay = Backoff(failures);
                RoutingLog.WatchFailed(_logger, ex, Kind, failures, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                // Resume the watch from the last version when we have one; a 410 then triggers the re-list.
                needList = _resourceVersion is null;
            }
        }
    }

    /// <summary>Exponential backoff (initial × 2^(n-1), capped) with ±50% jitter ("equal jitter").</summary>
    internal TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 20);
        var ceiling = Math.Min(_maxBackoff.TotalMilliseconds, _initialBackoff.TotalMilliseconds * Math.Pow(2, exponent));
#pragma warning disable CA5394 // Jitter, not security.
        var jittered = (ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(jittered);
    }

    private static bool IsGone(Exception ex) => ex switch
    {
        HttpOperationException http => http.Response.StatusCode == HttpStatusCode.Gone,
        KubernetesException kube => kube.Status?.Code == (int)HttpStatusCode.Gone,
        _ => false,
    };

    private void Replace(IReadOnlyList<TResource> items, string? version)
    {
        lock (_gate)
        {
            _store.Clear();
            foreach (var item in items)
            {
                _store[Key(item)] = item;
            }

            _resourceVersion = version;
            HasSynced = true;
            ListCount++;
        }

        Changed?.Invoke();
    }

    private void Apply(WatchEventType type, TResource item)
    {
        lock (_gate)
        {
            switch (type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    _store[Key(item)] = item;
                    break;
                case WatchEventType.Deleted:
                    _store.Remove(Key(item));
                    break;
                case WatchEventType.Bookmark:
                    break;
                default:
                    return;
            }

            if (!string.IsNullOrEmpty(item.Metadata?.ResourceVersion))
            {
                _resourceVersion = item.Metadata.ResourceVersion;
            }
        }

        if (type != WatchEventType.Bookmark)
        {
            Changed?.Invoke();
        }
    }

    private static string Key(TResource item) => $"{item.Metadata?.NamespaceProperty}/{item.Metadata?.Name}";
}
