using System.Globalization;
using FaultApi.Routing;
using FaultApi.Storage;
using k8s;
using Microsoft.Extensions.Options;

namespace FaultApi.EmergencyStop;

/// <summary>
/// Kubernetes mode: the stop state in the ConfigMap <c>Stop:ConfigMapName</c> (default <c>fault-injection-stop</c>) of the
/// API's namespace, a <see cref="ConfigMapDocument"/>: a write is a create or a replace carrying the resourceVersion read
/// — the compare-and-swap every replica's changes go through.
/// </summary>
public sealed class ConfigMapStopStateStore(IKubernetes kubernetes, IOptions<StopOptions> options, IOptions<RoutingOptions> routing) : IStopStateStore
{
    private readonly ConfigMapDocument _document = new(
        kubernetes,
        ResolveNamespace(options.Value, routing.Value),
        options.Value.ConfigMapName,
        new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "fault-injection" });

    public string Namespace => _document.Namespace;

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

    public async Task<StoredStopState?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _document.ReadAsync(cancellationToken).ConfigureAwait(false) is var (data, revision)
                ? Parse(data, revision)
                : null;
        }
        catch (StoredDocumentException e)
        {
            throw new StopStateStoreException(e.Message, e);
        }
    }

    public async Task<string?> TryWriteAsync(StopState state, string? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            return await _document.TryWriteAsync(ToData(state), expectedRevision, cancellationToken).ConfigureAwait(false);
        }
        catch (StoredDocumentException e)
        {
            throw new StopStateStoreException(e.Message, e);
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

    private StoredStopState Parse(IDictionary<string, string> data, string revision)
    {
        if (!data.TryGetValue("engaged", out var engaged) || !bool.TryParse(engaged, out var isEngaged)
            || !data.TryGetValue("version", out var version) || !long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            || !data.TryGetValue("changed_at", out var at) || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var changedAt))
        {
            return new StoredStopState(null, revision, $"{_document.Description} does not hold a valid stop state (keys engaged, version, changed_at, changed_by, reason)");
        }

        return new StoredStopState(new StopState(isEngaged, data.TryGetValue("changed_by", out var by) ? by : "", changedAt, data.TryGetValue("reason", out var why) ? why : "", v), revision, null);
    }
}
