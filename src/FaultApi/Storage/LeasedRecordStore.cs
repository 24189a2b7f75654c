using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace FaultApi.Storage;

/// <summary>
/// Records that a replica works on under a lease (drills, suites), one ConfigMap each in <c>Routing:Namespace</c>
/// (<see cref="LeasedRecordNames"/>: the object name, the labels, the JSON's data key), so every replica serves them and
/// a restart loses none. Writes carry the resourceVersion read (optimistic concurrency: a stale write gets <c>null</c>,
/// never overwrites); the lease of the replica working on a running record is in two annotations (holder, renewal
/// time), written only while the record has not ended.
/// </summary>
/// <typeparam name="TRecord">The record (its JSON in the ConfigMap's data).</typeparam>
/// <typeparam name="TStored">The record as read, with its resourceVersion and lease.</typeparam>
public abstract class LeasedRecordStore<TRecord, TStored>(KubernetesConnection kubernetes, IOptions<RoutingOptions> routing, LeasedRecordNames names)
    where TRecord : class, ILeasedRecord
    where TStored : StoredRecord<TRecord>
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "fault-injection-api";

    /// <summary>The state label's value of a record still running (the lease's records).</summary>
    public const string RunningState = "running";

    // The client is created on first use, so a static-mode API (no drills, no suites) reads no kubeconfig.
    private IKubernetes Client => kubernetes.Client;

    private string Namespace => routing.Value.Namespace;

    public async Task<TStored> CreateAsync(TRecord record, string holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ToConfigMap(record, null, holder, now), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        return FromConfigMap(created);
    }

    /// <summary>The record, or null when there is none of that id.</summary>
    public async Task<TStored?> GetAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return FromConfigMap(await Client.CoreV1.ReadNamespacedConfigMapAsync(names.ObjectName(id), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<TStored>> ListAsync(bool runningOnly, CancellationToken cancellationToken)
    {
        var selector = $"{names.KindLabel}=true" + (runningOnly ? $",{names.StateLabel}={RunningState}" : "");
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. (list.Items ?? []).Where(c => c.Data?.ContainsKey(names.DataKey) == true).Select(FromConfigMap)];
    }

    /// <summary>
    /// Writes <paramref name="record"/> over the version read, the lease held by <paramref name="holder"/> (renewed at
    /// <paramref name="now"/>; null releases it); <c>null</c> when someone wrote in between (409 Conflict) or the record is gone.
    /// </summary>
    public async Task<TStored?> ReplaceAsync(TStored current, TRecord record, string? holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            var replaced = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(
                ToConfigMap(record, current.ResourceVersion, holder, now), names.ObjectName(record.Id), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return FromConfigMap(replaced);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Deletes the record (one already gone is no error).</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await Client.CoreV1.DeleteNamespacedConfigMapAsync(names.ObjectName(id), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Watches one record's ConfigMap from <paramref name="resourceVersion"/> (errors sent as events, e.g. 410, go to <paramref name="onError"/>).</summary>
    public async IAsyncEnumerable<(WatchEventType Type, TStored? Record)> WatchAsync(
        string id, string resourceVersion, Action<Exception> onError, int timeoutSeconds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = Client.CoreV1.WatchListNamespacedConfigMapAsync(
            Namespace,
            fieldSelector: $"metadata.name={names.ObjectName(id)}",
            resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds,
            onError: onError,
            cancellationToken: cancellationToken);
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            yield return (type, item.Data?.ContainsKey(names.DataKey) == true ? FromConfigMap(item) : null);
        }
    }

    /// <summary>
    /// Takes over, one at a time, the running records nobody holds (their replica stopped and released the lease, or it
    /// expired) except those <paramref name="skip"/> names: each claim writes the lease for <paramref name="identity"/>
    /// over the version read, so of two replicas taking over at once one wins and the other skips the record. Each
    /// record claimed goes to <paramref name="resume"/> with the holder it was taken from, before the next is claimed;
    /// returns how many it resumed (it answers false for one it could not).
    /// </summary>
    public async Task<int> ResumeOrphanedAsync(
        string identity, TimeSpan leaseDuration, DateTimeOffset now, Func<string, bool> skip, Func<TStored, string?, CancellationToken, Task<bool>> resume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skip);
        ArgumentNullException.ThrowIfNull(resume);
        var resumed = 0;
        foreach (var stored in await ListAsync(runningOnly: true, cancellationToken).ConfigureAwait(false))
        {
            if (skip(stored.Record.Id) || stored.Record.IsFinal || !stored.LeaseExpired(now, leaseDuration))
            {
                continue;
            }

            if (await ReplaceAsync(stored, stored.Record, identity, now, cancellationToken).ConfigureAwait(false) is { } claimed
                && await resume(claimed, stored.Holder, cancellationToken).ConfigureAwait(false))
            {
                resumed++;
            }
        }

        return resumed;
    }

    /// <summary>
    /// Deletes the records that ended more than <paramref name="retention"/> before <paramref name="now"/>, then the
    /// longest-ended beyond <paramref name="maxRecords"/>; running records are never deleted. Replicas may prune at once
    /// (a record already gone is skipped). Returns how many were deleted; when any were, <paramref name="pruned"/> gets
    /// that count and how many ended ones are kept.
    /// </summary>
    public async Task<int> PruneAsync(int maxRecords, TimeSpan retention, DateTimeOffset now, Action<int, int> pruned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pruned);
        var finished = (await ListAsync(runningOnly: false, cancellationToken).ConfigureAwait(false))
            .Select(s => s.Record)
            .Where(r => r.IsFinal)
            .OrderByDescending(r => r.EndedAt ?? r.CreatedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var deleted = finished
            .Where((r, i) => i >= maxRecords || now - (r.EndedAt ?? r.CreatedAt) > retention)
            .ToList();
        foreach (var record in deleted)
        {
            await DeleteAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }

        if (deleted.Count > 0)
        {
            pruned(deleted.Count, finished.Count - deleted.Count);
        }

        return deleted.Count;
    }

    /// <summary>The record as read: <typeparamref name="TStored"/> of its parts.</summary>
    protected abstract TStored Stored(TRecord record, string resourceVersion, string? holder, DateTimeOffset? renewedAt);

    /// <summary>Labels the record's kind adds to the managed-by, kind and state labels (none by default).</summary>
    protected virtual void AddLabels(TRecord record, IDictionary<string, string> labels)
    {
    }

    private V1ConfigMap ToConfigMap(TRecord record, string? resourceVersion, string? holder, DateTimeOffset now)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ManagedByLabel] = ManagedByValue,
            [names.KindLabel] = "true",
            [names.StateLabel] = record.StateName,
        };
        AddLabels(record, labels);

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!record.IsFinal && !string.IsNullOrEmpty(holder))
        {
            annotations[names.HolderAnnotation] = holder;
            annotations[names.RenewedAnnotation] = now.ToString("O", CultureInfo.InvariantCulture);
        }

        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = names.ObjectName(record.Id),
                NamespaceProperty = Namespace,
                ResourceVersion = resourceVersion,
                Labels = labels,
                Annotations = annotations,
            },
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { [names.DataKey] = JsonSerializer.Serialize(record, RecordJson.Options) },
        };
    }

    private TStored FromConfigMap(V1ConfigMap map)
    {
        TRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<TRecord>(map.Data[names.DataKey], RecordJson.Options);
        }
        catch (JsonException ex)
        {
            // E.g. a state this version does not know: named, not read as some other state.
            throw new InvalidDataException($"ConfigMap {map.Metadata.Name} holds a {names.Noun} this API cannot read ({names.DataKey}: {ex.Message})", ex);
        }

        if (record is null)
        {
            throw new InvalidDataException($"ConfigMap {map.Metadata.Name} holds no {names.Noun}");
        }

        var annotations = map.Metadata.Annotations ?? new Dictionary<string, string>();
        annotations.TryGetValue(names.HolderAnnotation, out var holder);
        DateTimeOffset? renewed = annotations.TryGetValue(names.RenewedAnnotation, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
        return Stored(record, map.Metadata.ResourceVersion ?? "", holder, renewed);
    }
}
