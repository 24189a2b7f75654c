using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FaultApi.Routing;

/// <summary>List-then-watch of the cluster's nodes (for node existence and node labels).</summary>
public sealed class NodeInformer(IKubernetes client, RoutingOptions options, TimeProvider timeProvider, ILogger logger)
    : KubernetesResourceInformer<V1Node>(
        timeProvider,
        logger,
        TimeSpan.FromMilliseconds(options.WatchBackoffInitialMilliseconds),
        TimeSpan.FromMilliseconds(options.WatchBackoffMaxMilliseconds))
{
    protected override string Kind => "Node";

    protected override async Task<(IReadOnlyList<V1Node> Items, string? ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return (list.Items?.ToList() ?? [], list.Metadata?.ResourceVersion);
    }

    protected override async IAsyncEnumerable<(WatchEventType Type, V1Node Item)> WatchAsync(
        string? resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = client.CoreV1.WatchListNodeAsync(
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: options.WatchTimeoutSeconds,
            onError: onError,
            cancellationToken: cancellationToken);
        await foreach (var item in events.ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
