using System.Globalization;
using System.Net;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace FaultApi.EmergencyStop;

/// <summary>
/// Kubernetes mode: the stop state in the ConfigMap <c>Stop:ConfigMapName</c> (default <c>fault-injection-stop</c>) of the
/// API's namespace, read and written through the KubernetesClient (get, create, replace with the read resourceVersion:
/// a concurrent writer makes the replace fail with 409 and the write is retried on the newer copy).
/// </summary>
public sealed class ConfigMapStopStateStore(IKubernetes kubernetes, IOptions<StopOptions> options, IOptions<RoutingOptions> routing) : IStopStateStore
{
    private const int MaxAttempts = 10;
    private readonly string _name = options.Value.ConfigMapName;
    private readonly string _namespace = ResolveNamespace(options.Value, routing.Value);

    public string Namespace => _namespace;

    public static string ResolveNamespace(StopOptions options, RoutingOptions routing)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(routing);
        if (!string.IsNullOrEmpty(options.Namespace))
        {
            return options.Namespace;
        }

        return Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } pod ? pod : routing.Namespace;
    }

    public async Task<StopState?> ReadAsync(CancellationToken cancellationToken)
    {
        var map = await GetAsync(cancellationToken).ConfigureAwait(false);
        return map is null ? null : Parse(map);
    }

    public async Task<StopState> WriteAsync(StopState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await GetAsync(cancellationToken).ConfigureAwait(false);
            if (existing is not null && Parse(existing) is { } stored && stored.Version >= state.Version)
            {
                return stored;
            }

            try
            {
                if (existing is null)
                {
                    var created = new V1ConfigMap
                    {
                        ApiVersion = "v1",
                        Kind = "ConfigMap",
                        Metadata = new V1ObjectMeta { Name = _name, NamespaceProperty = _namespace, Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "fault-injection" } },
                        Data = ToData(state),
                    };
                    await kubernetes.CoreV1.CreateNamespacedConfigMapAsync(created, _namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    existing.Data = ToData(state);
                    await kubernetes.CoreV1.ReplaceNamespacedConfigMapAsync(existing, _name, _namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                return state;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // Another replica wrote (or created) it first: re-read and compare versions.
            }
            catch (HttpOperationException e)
            {
                throw new StopStateStoreException($"The ConfigMap {_namespace}/{_name} cannot be written: {(int)e.Response.StatusCode} {e.Response.ReasonPhrase} {e.Response.Content}", e);
            }
            catch (HttpRequestException e)
            {
                throw new StopStateStoreException($"The Kubernetes API cannot be reached to write the ConfigMap {_namespace}/{_name}: {e.Message}", e);
            }
        }
    }

    private async Task<V1ConfigMap?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await kubernetes.CoreV1.ReadNamespacedConfigMapAsync(_name, _namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            throw new StopStateStoreException($"The ConfigMap {_namespace}/{_name} cannot be read: {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}", e);
        }
        catch (HttpRequestException e)
        {
            throw new StopStateStoreException($"The Kubernetes API cannot be reached to read the ConfigMap {_namespace}/{_name}: {e.Message}", e);
        }
    }

    private static Dictionary<string, string> ToData(StopState state) => new()
    {
        ["engaged"] = state.Engaged ? "true" : "false",
        ["changed_by"] = state.ChangedBy,
        ["changed_at"] = state.ChangedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["reason"] = state.Reason,
        ["version"] = state.Version.ToString(CultureInfo.InvariantCulture),
    };

    private StopState Parse(V1ConfigMap map)
    {
        var data = map.Data ?? new Dictionary<string, string>();
        if (!data.TryGetValue("engaged", out var engaged) || !bool.TryParse(engaged, out var isEngaged)
            || !data.TryGetValue("version", out var version) || !long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            || !data.TryGetValue("changed_at", out var at) || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var changedAt))
        {
            throw new StopStateStoreException($"The ConfigMap {_namespace}/{_name} does not hold a valid stop state (keys engaged, version, changed_at, changed_by, reason).");
        }

        return new StopState(isEngaged, data.TryGetValue("changed_by", out var by) ? by : "", changedAt, data.TryGetValue("reason", out var why) ? why : "", v);
    }
}
