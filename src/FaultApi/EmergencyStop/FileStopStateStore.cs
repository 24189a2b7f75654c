using System.Text.Json;
using FaultApi.Storage;
using Microsoft.Extensions.Options;

namespace FaultApi.EmergencyStop;

/// <summary>
/// Static mode: the stop state in <c>Stop:StateFile</c> (JSON), a <see cref="CompareAndSwapFile"/>: its revision is the
/// SHA-256 of its bytes, a write holds an flock and checks the revision — the same compare-and-swap as the ConfigMap's.
/// </summary>
public sealed class FileStopStateStore(IOptions<StopOptions> options, TimeProvider timeProvider) : IStopStateStore
{
    private readonly CompareAndSwapFile _file = new(
        options.Value.StateFile ?? throw new InvalidOperationException("Stop:StateFile is required in static routing mode."),
        "Stop:StateFile",
        timeProvider);

    public async Task<StoredStopState?> ReadAsync(CancellationToken cancellationToken)
    {
        (byte[] Bytes, string Revision)? read;
        try
        {
            read = await _file.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoredDocumentException e)
        {
            throw new StopStateStoreException(e.Message, e);
        }

        if (read is not var (bytes, revision))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize(bytes, StopStateJsonContext.Default.StopState) ?? throw new JsonException("the file holds null");
            return new StoredStopState(state, revision, null);
        }
        catch (JsonException e)
        {
            return new StoredStopState(null, revision, $"the stop state file {_file.Path} (Stop:StateFile) does not hold a valid state: {e.Message}");
        }
    }

    public async Task<string?> TryWriteAsync(StopState state, string? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            return await _file.TryWriteAsync(JsonSerializer.SerializeToUtf8Bytes(state, StopStateJsonContext.Default.StopState), expectedRevision, cancellationToken).ConfigureAwait(false);
        }
        catch (StoredDocumentException e)
        {
            throw new StopStateStoreException(e.Message, e);
        }
    }
}
