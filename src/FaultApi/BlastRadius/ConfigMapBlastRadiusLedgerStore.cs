using System.Text.Json;
using FaultApi.EmergencyStop;
using FaultApi.Routing;
using FaultApi.Storage;
using k8s;
using Microsoft.Extensions.Options;

namespace FaultApi.BlastRadius;

/// <summary>Kubernetes mode: the ledger as JSON in <c>data["ledger.json"]</c> of the ConfigMap <c>Safety:ConfigMapName</c>, in the stop's namespace.</summary>
public sealed class ConfigMapBlastRadiusLedgerStore(IKubernetes kubernetes, IOptions<BlastRadiusOptions> options, IOptions<StopOptions> stop, IOptions<RoutingOptions> routing) : IBlastRadiusLedgerStore
{
    public const string DataKey = "ledger.json";

    private readonly ConfigMapDocument _document = new(
        kubernetes,
        ConfigMapStopStateStore.ResolveNamespace(stop.Value, routing.Value),
        options.Value.ConfigMapName,
        new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "fault-injection" });

    public async Task<(BlastRadiusLedger Ledger, string? Revision)> ReadAsync(CancellationToken cancellationToken)
    {
        if (await _document.ReadAsync(cancellationToken).ConfigureAwait(false) is not var (data, revision))
        {
            return (new BlastRadiusLedger(), null);
        }

        try
        {
            var json = data.TryGetValue(DataKey, out var text) ? text : "{}";
            return (JsonSerializer.Deserialize(json, BlastRadiusLedgerJsonContext.Default.BlastRadiusLedger) ?? new BlastRadiusLedger(), revision);
        }
        catch (JsonException e)
        {
            throw new StoredDocumentException($"{_document.Description} does not hold a blast-radius ledger ({e.Message}); delete it to start a new one", e);
        }
    }

    public Task<string?> TryWriteAsync(BlastRadiusLedger ledger, string? expectedRevision, CancellationToken cancellationToken) =>
        _document.TryWriteAsync(
            new Dictionary<string, string> { [DataKey] = JsonSerializer.Serialize(ledger, BlastRadiusLedgerJsonContext.Default.BlastRadiusLedger) },
            expectedRevision,
            cancellationToken);
}
