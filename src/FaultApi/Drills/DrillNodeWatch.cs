using System.Runtime.CompilerServices;
using FaultApi.Routing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FaultApi.Drills;

/// <summary>List-then-watch of the one drilled node (<c>fieldSelector=metadata.name=&lt;node&gt;</c>), resumed from its resourceVersion, re-listed on 410.</summary>
public sealed class DrillNodeWatch(IKubernetes client, string nodeName, RoutingOptions options, TimeProvider timeProvider, ILogger logger)
    : KubernetesResourceInformer<V1Node>(
        timeProvider,
        logger,
        TimeSpan.FromMilliseconds(options.WatchBackoffInitialMilliseconds),
        TimeSpan.FromMilliseconds(options.WatchBackoffMaxMilliseconds))
{
    private string FieldSelector => $"metadata.name={nodeName}";

    protected override string Kind => "drilled Node";

    protected override async Task<(IReadOnlyList<V1Node> Items, string? ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNodeAsync(fieldSelector: FieldSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (list.Items?.ToList() ?? [], list.Metadata?.ResourceVersion);
    }

    protected override async IAsyncEnumerable<(WatchEventType Type, V1Node Item)> WatchAsync(
        string? resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = client.CoreV1.WatchListNodeAsync(
            fieldSelector: FieldSelector,
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
