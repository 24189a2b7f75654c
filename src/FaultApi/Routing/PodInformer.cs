using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FaultApi.Routing;

/// <summary>List-then-watch of the agent pods (<c>Routing:Namespace</c>, <c>Routing:AgentLabelSelector</c>).</summary>
public sealed class PodInformer(IKubernetes client, RoutingOptions options, TimeProvider timeProvider, ILogger logger)
    : KubernetesResourceInformer<V1Pod>(
        timeProvider,
        logger,
        TimeSpan.FromMilliseconds(options.WatchBackoffInitialMilliseconds),
        TimeSpan.FromMilliseconds(options.WatchBackoffMaxMilliseconds))
{
    protected override string Kind => "Pod";

    protected override async Task<(IReadOnlyList<V1Pod> Items, string? ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNamespacedPodAsync(
            options.Namespace,
            labelSelector: options.AgentLabelSelector,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return (list.Items?.ToList() ?? [], list.Metadata?.ResourceVersion);
    }

    protected override async IAsyncEnumerable<(WatchEventType Type, V1Pod Item)> WatchAsync(
        string? resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = client.CoreV1.WatchListNamespacedPodAsync(
            options.Namespace,
            allowWatchBookmarks: true,
            labelSelector: options.AgentLabelSelector,
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
