using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// Drill records as ConfigMaps in <c>Routing:Namespace</c> (one per drill, <c>drill-&lt;id&gt;</c>, the JSON in
/// <c>data["drill.json"]</c>), so every replica serves them and a restart loses none. Writes carry the resourceVersion
/// read (optimistic concurrency: a stale write gets <c>null</c>, never overwrites); the lease of the replica following a
/// running drill is in the annotations <see cref="HolderAnnotation"/> and <see cref="RenewedAnnotation"/>.
/// </summary>
public sealed partial class DrillStore(KubernetesConnection kubernetes, IOptions<RoutingOptions> routing)
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "fault-injection-api";
    public const string DrillLabel = "fault-injection/drill";
    public const string NodeLabel = "fault-injection/node";
    public const string StateLabel = "fault-injection/drill-state";
    public const string HolderAnnotation = "fault-injection/drill-holder";
    public const string RenewedAnnotation = "fault-injection/drill-lease-renewed";
    public const string DataKey = "drill.json";

    /// <summary>The drill JSON (the API's own shape: snake_case).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private string Namespace => routing.Value.Namespace;

    public static string ObjectName(string drillId) => $"drill-{drillId}";

    public async Task<StoredDrill> CreateAsync(DrillRecord drill, string holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drill);
        var created = await kubernetes.Client.CoreV1.CreateNamespacedConfigMapAsync(ToConfigMap(drill, null, holder, now), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        return FromConfigMap(created);
    }

    public async Task<StoredDrill?> GetAsync(string drillId, CancellationToken cancellationToken)
    {
        try
        {
            return FromConfigMap(await kubernetes.Client.CoreV1.ReadNamespacedConfigMapAsync(ObjectName(drillId), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<StoredDrill>> ListAsync(bool runningOnly, CancellationToken cancellationToken)
    {
        var selector = $"{DrillLabel}=true" + (runningOnly ? $",{StateLabel}={DrillState.Running}" : "");
        var list = await kubernetes.Client.CoreV1.ListNamespacedConfigMapAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. (list.Items ?? []).Where(c => c.Data?.ContainsKey(DataKey) == true).Select(FromConfigMap)];
    }

    /// <summary>Writes <paramref name="drill"/> over the version read; <c>null</c> when someone wrote in between (409 Conflict) or the record is gone.</summary>
    public async Task<StoredDrill?> ReplaceAsync(StoredDrill current, DrillRecord drill, string? holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(drill);
        try
        {
            var replaced = await kubernetes.Client.CoreV1.ReplaceNamespacedConfigMapAsync(
                ToConfigMap(drill, current.ResourceVersion, holder, now), ObjectName(drill.DrillId), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return FromConfigMap(replaced);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string drillId, CancellationToken cancellationToken)
    {
        try
        {
            await kubernetes.Client.CoreV1.DeleteNamespacedConfigMapAsync(ObjectName(drillId), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Watches one drill's ConfigMap from <paramref name="resourceVersion"/> (errors sent as events, e.g. 410, go to <paramref name="onError"/>).</summary>
    public async IAsyncEnumerable<(WatchEventType Type, StoredDrill? Drill)> WatchAsync(
        string drillId, string resourceVersion, Action<Exception> onError, int timeoutSeconds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = kubernetes.Client.CoreV1.WatchListNamespacedConfigMapAsync(
            Namespace,
            fieldSelector: $"metadata.name={ObjectName(drillId)}",
            resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds,
            onError: onError,
            cancellationToken: cancellationToken);
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            yield return (type, item.Data?.ContainsKey(DataKey) == true ? FromConfigMap(item) : null);
        }
    }

    private V1ConfigMap ToConfigMap(DrillRecord drill, string? resourceVersion, string? holder, DateTimeOffset now)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ManagedByLabel] = ManagedByValue,
            [DrillLabel] = "true",
            [StateLabel] = drill.State,
        };
        if (drill.NodeName.Length <= 63 && LabelValue().IsMatch(drill.NodeName))
        {
            labels[NodeLabel] = drill.NodeName;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!drill.IsFinal && !string.IsNullOrEmpty(holder))
        {
            annotations[HolderAnnotation] = holder;
            annotations[RenewedAnnotation] = now.ToString("O", CultureInfo.InvariantCulture);
        }

        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = ObjectName(drill.DrillId),
                NamespaceProperty = Namespace,
                ResourceVersion = resourceVersion,
                Labels = labels,
                Annotations = annotations,
            },
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { [DataKey] = JsonSerializer.Serialize(drill, Json) },
        };
    }

    private static StoredDrill FromConfigMap(V1ConfigMap map)
    {
        var drill = JsonSerializer.Deserialize<DrillRecord>(map.Data[DataKey], Json)
            ?? throw new InvalidDataException($"ConfigMap {map.Metadata.Name} holds no drill");
        var annotations = map.Metadata.Annotations ?? new Dictionary<string, string>();
        annotations.TryGetValue(HolderAnnotation, out var holder);
        DateTimeOffset? renewed = annotations.TryGetValue(RenewedAnnotation, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
        return new StoredDrill(drill, map.Metadata.ResourceVersion ?? "", holder, renewed);
    }

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();
}
