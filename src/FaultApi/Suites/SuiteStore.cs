using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>
/// Suite records as ConfigMaps in <c>Routing:Namespace</c>, beside the drills' (one per suite, <c>suite-&lt;id&gt;</c>,
/// the JSON in <c>data["suite.json"]</c>): every replica serves them and a restart loses none. Writes carry the
/// resourceVersion read (a stale write gets <c>null</c>, never overwrites); the lease of the replica running a suite is
/// in the annotations <see cref="HolderAnnotation"/> and <see cref="RenewedAnnotation"/>.
/// </summary>
public sealed class SuiteStore(KubernetesConnection kubernetes, IOptions<RoutingOptions> routing)
{
    // The client is created on first use, so a static-mode API (no suites) reads no kubeconfig.
    private IKubernetes Client => kubernetes.Client;

    public const string SuiteLabel = "fault-injection/suite";
    public const string StateLabel = "fault-injection/suite-state";
    public const string HolderAnnotation = "fault-injection/suite-holder";
    public const string RenewedAnnotation = "fault-injection/suite-lease-renewed";
    public const string DataKey = "suite.json";

    private string Namespace => routing.Value.Namespace;

    public static string ObjectName(string suiteId) => $"suite-{suiteId}";

    public async Task<StoredSuite> CreateAsync(SuiteRecord suite, string holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ToConfigMap(suite, null, holder, now), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        return FromConfigMap(created);
    }

    public async Task<StoredSuite?> GetAsync(string suiteId, CancellationToken cancellationToken)
    {
        try
        {
            return FromConfigMap(await Client.CoreV1.ReadNamespacedConfigMapAsync(ObjectName(suiteId), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<StoredSuite>> ListAsync(bool runningOnly, CancellationToken cancellationToken)
    {
        var selector = $"{SuiteLabel}=true" + (runningOnly ? $",{StateLabel}={SuiteState.Running}" : "");
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. (list.Items ?? []).Where(c => c.Data?.ContainsKey(DataKey) == true).Select(FromConfigMap)];
    }

    /// <summary>Writes <paramref name="suite"/> over the version read; <c>null</c> when someone wrote in between (409 Conflict) or the record is gone.</summary>
    public async Task<StoredSuite?> ReplaceAsync(StoredSuite current, SuiteRecord suite, string? holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(suite);
        try
        {
            var replaced = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(
                ToConfigMap(suite, current.ResourceVersion, holder, now), ObjectName(suite.SuiteId), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return FromConfigMap(replaced);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string suiteId, CancellationToken cancellationToken)
    {
        try
        {
            await Client.CoreV1.DeleteNamespacedConfigMapAsync(ObjectName(suiteId), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Watches one suite's ConfigMap from <paramref name="resourceVersion"/> (errors sent as events, e.g. 410, go to <paramref name="onError"/>).</summary>
    public async IAsyncEnumerable<(WatchEventType Type, StoredSuite? Suite)> WatchAsync(
        string suiteId, string resourceVersion, Action<Exception> onError, int timeoutSeconds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = Client.CoreV1.WatchListNamespacedConfigMapAsync(
            Namespace,
            fieldSelector: $"metadata.name={ObjectName(suiteId)}",
            resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds,
            onError: onError,
            cancellationToken: cancellationToken);
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            yield return (type, item.Data?.ContainsKey(DataKey) == true ? FromConfigMap(item) : null);
        }
    }

    private V1ConfigMap ToConfigMap(SuiteRecord suite, string? resourceVersion, string? holder, DateTimeOffset now)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!suite.IsFinal && !string.IsNullOrEmpty(holder))
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
                Name = ObjectName(suite.SuiteId),
                NamespaceProperty = Namespace,
                ResourceVersion = resourceVersion,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [DrillStore.ManagedByLabel] = DrillStore.ManagedByValue,
                    [SuiteLabel] = "true",
                    [StateLabel] = suite.State,
                },
                Annotations = annotations,
            },
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { [DataKey] = JsonSerializer.Serialize(suite, DrillStore.Json) },
        };
    }

    private static StoredSuite FromConfigMap(V1ConfigMap map)
    {
        var suite = JsonSerializer.Deserialize<SuiteRecord>(map.Data[DataKey], DrillStore.Json)
            ?? throw new InvalidDataException($"ConfigMap {map.Metadata.Name} holds no suite");
        var annotations = map.Metadata.Annotations ?? new Dictionary<string, string>();
        annotations.TryGetValue(HolderAnnotation, out var holder);
        DateTimeOffset? renewed = annotations.TryGetValue(RenewedAnnotation, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
        return new StoredSuite(suite, map.Metadata.ResourceVersion ?? "", holder, renewed);
    }
}
