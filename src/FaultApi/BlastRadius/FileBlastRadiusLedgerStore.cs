using System.Text.Json;
using FaultApi.EmergencyStop;
using FaultApi.Storage;
using Microsoft.Extensions.Options;

namespace FaultApi.BlastRadius;

/// <summary>Static mode: the ledger in <c>Safety:LedgerFile</c> (default <c>Stop:StateFile</c> + <c>.blast-radius.json</c>), a <see cref="CompareAndSwapFile"/>.</summary>
public sealed class FileBlastRadiusLedgerStore(IOptions<BlastRadiusOptions> options, IOptions<StopOptions> stop, TimeProvider timeProvider) : IBlastRadiusLedgerStore
{
    private readonly CompareAndSwapFile _file = new(
        options.Value.LedgerFile is { Length: > 0 } path
            ? path
            : (stop.Value.StateFile ?? throw new InvalidOperationException("Stop:StateFile is required in static routing mode.")) + ".blast-radius.json",
        "Safety:LedgerFile",
        timeProvider);

    public async Task<(BlastRadiusLedger Ledger, string? Revision)> ReadAsync(CancellationToken cancellationToken)
    {
        if (await _file.ReadAsync(cancellationToken).ConfigureAwait(false) is not var (bytes, revision))
        {
            return (new BlastRadiusLedger(), null);
        }

        try
        {
            return (JsonSerializer.Deserialize(bytes, BlastRadiusLedgerJsonContext.Default.BlastRadiusLedger) ?? new BlastRadiusLedger(), revision);
        }
        catch (JsonException e)
        {
            throw new StoredDocumentException($"{_file.Description} does not hold a blast-radius ledger ({e.Message}); delete it to start a new one", e);
        }
    }

    public Task<string?> TryWriteAsync(BlastRadiusLedger ledger, string? expectedRevision, CancellationToken cancellationToken) =>
        _file.TryWriteAsync(JsonSerializer.SerializeToUtf8Bytes(ledger, BlastRadiusLedgerJsonContext.Default.BlastRadiusLedger), expectedRevision, cancellationToken);
}
