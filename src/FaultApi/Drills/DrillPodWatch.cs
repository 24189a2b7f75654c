using System.Runtime.CompilerServices;
using FaultApi.Routing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FaultApi.Drills;

/// <summary>List-then-watch of the pods on the drilled node, in every namespace (<c>fieldSelector=spec.nodeName=&lt;node&gt;</c>).</summary>
public sealed class DrillPodWatch(IKubernetes client, string nodeName, RoutingOptions options, TimeProvider timeProvider, ILogger logger)
    : KubernetesResourceInformer<V1Pod>(
        timeProvider,
        logger,
        TimeSpan.FromMilliseconds(options.WatchBackoffInitialMilliseconds),
        TimeSpan.FromMilliseconds(options.WatchBackoffMaxMilliseconds))
{
    private string FieldSelector => $"spec.nodeName={nodeName}";

    protected override string Kind => "Pods on the drilled node";

    protected override async Task<(IReadOnlyList<V1Pod> Items, string? ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: FieldSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (list.Items?.ToList() ?? [], list.Metadata?.ResourceVersion);
    }

    protected override async IAsyncEnumerable<(WatchEventType Type, V1Pod Item)> WatchAsync(
        string? resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = client.CoreV1.WatchListPodForAllNamespacesAsync(
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
