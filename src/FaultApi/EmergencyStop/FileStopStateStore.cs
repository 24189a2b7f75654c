using System.Text.Json;
using Microsoft.Extensions.Options;

namespace FaultApi.EmergencyStop;

/// <summary>
/// Static mode: the stop state in <c>Stop:StateFile</c> (JSON, written beside and renamed over after a flush to disk).
/// Replicas sharing the file (e.g. on one volume) agree; the agents keep their own persisted copy either way.
/// </summary>
public sealed class FileStopStateStore(IOptions<StopOptions> options) : IStopStateStore, IDisposable
{
    private readonly string _path = options.Value.StateFile ?? throw new InvalidOperationException("Stop:StateFile is required in static routing mode.");
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<StopState?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!File.Exists(_path))
            {
                return null;
            }

            var bytes = await File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(bytes, StopStateJsonContext.Default.StopState) ?? throw new JsonException("the file holds null");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new StopStateStoreException($"The stop state file {_path} (Stop:StateFile) cannot be read: {e.Message}", e);
        }
    }

    public async Task<StopState> WriteAsync(StopState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } stored && stored.Version >= state.Version)
            {
                return stored;
            }

            var temporary = _path + ".tmp";
            try
            {
                using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    await JsonSerializer.SerializeAsync(stream, state, StopStateJsonContext.Default.StopState, cancellationToken).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, _path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StopStateStoreException($"The stop state file {_path} (Stop:StateFile) cannot be written: {e.Message}", e);
            }

            return state;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
