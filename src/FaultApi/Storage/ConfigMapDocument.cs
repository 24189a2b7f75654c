using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace FaultApi.Storage;

/// <summary>
/// One ConfigMap used as a compare-and-swap document: its data is read with its resourceVersion, and written by a create
/// (409 AlreadyExists when another writer created it first) or a replace carrying the resourceVersion read (409 Conflict
/// when anyone wrote since) — the apiserver's optimistic concurrency, so concurrent replicas never lose a write.
/// </summary>
public sealed class ConfigMapDocument(IKubernetes kubernetes, string ns, string name, IReadOnlyDictionary<string, string> labels)
{
    public string Namespace => ns;

    public string Name => name;

    /// <summary>"the ConfigMap ns/name", for messages.</summary>
    public string Description => $"the ConfigMap {ns}/{name}";

    /// <summary>The data and resourceVersion; null when the ConfigMap does not exist.</summary>
    /// <exception cref="StoredDocumentException">The Kubernetes API cannot be reached or refuses.</exception>
    public async Task<(IDictionary<string, string> Data, string Revision)?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var map = await kubernetes.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (map.Data ?? new Dictionary<string, string>(), map.Metadata?.ResourceVersion ?? "");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            throw new StoredDocumentException($"{Description} cannot be read: {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}", e);
        }
        catch (HttpRequestException e)
        {
            throw new StoredDocumentException($"The Kubernetes API cannot be reached to read {Description}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="data"/> if the ConfigMap is still at <paramref name="expectedRevision"/> (null: it must not
    /// exist yet); returns the new resourceVersion, or null when another writer came first (nothing written).
    /// </summary>
    /// <exception cref="StoredDocumentException">The Kubernetes API cannot be reached or refuses.</exception>
    public async Task<string?> TryWriteAsync(IDictionary<string, string> data, string? expectedRevision, CancellationToken cancellationToken)
    {
        var map = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                ResourceVersion = expectedRevision,
                Labels = new Dictionary<string, string>(labels),
            },
            Data = data,
        };
        try
        {
            var written = expectedRevision is null
                ? await kubernetes.CoreV1.CreateNamespacedConfigMapAsync(map, ns, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await kubernetes.CoreV1.ReplaceNamespacedConfigMapAsync(map, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return written.Metadata?.ResourceVersion ?? "";
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            // 409: another writer came first (created it, or wrote since expectedRevision); 404: it was deleted since.
            return null;
        }
        catch (HttpOperationException e)
        {
            throw new StoredDocumentException($"{Description} cannot be written: {(int)e.Response.StatusCode} {e.Response.ReasonPhrase} {e.Response.Content}", e);
        }
        catch (HttpRequestException e)
        {
            throw new StoredDocumentException($"The Kubernetes API cannot be reached to write {Description}: {e.Message}", e);
        }
    }
}
