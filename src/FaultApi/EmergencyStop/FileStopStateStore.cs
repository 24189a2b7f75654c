using System.Text.Json;
using FaultApi.Storage;
using Microsoft.Extensions.Options;

namespace FaultApi.EmergencyStop;

/// <summary>
/// Static mode: the stop state in <c>Stop:StateFile</c> (JSON), a <see cref="CompareAndSwapFile"/>: its revision is the
/// SHA-256 of its bytes, a write holds an flock and checks the revision — the same compare-and-swap as the ConfigMap's.
/// A read is answered from the last one while the file's <see cref="FileStamp"/> (one <c>statx()</c>) is unchanged, so the
/// check before each injection costs no open, lock or read of the file; any write, by this replica or another sharing the
/// file, replaces or changes it and the next read reads it again. The stamp is taken before the read, so a write during
/// the read shows at the next one.
/// </summary>
public sealed class FileStopStateStore(IOptions<StopOptions> options, TimeProvider timeProvider) : IStopStateStore
{
    private readonly CompareAndSwapFile _file = new(
        options.Value.StateFile ?? throw new InvalidOperationException("Stop:StateFile is required in static routing mode."),
        "Stop:StateFile",
        timeProvider);

    private volatile KeptRead? _kept;
    private long _fileReads;

    /// <summary>How many times the file itself was read (not answered from the last read).</summary>
    public long FileReads => Interlocked.Read(ref _fileReads);

    public async Task<StoredStopState?> ReadAsync(CancellationToken cancellationToken)
    {
        var stamp = FileStamp.Of(_file.Path);
        if (stamp is { } now && _kept is { } kept && kept.Stamp == now)
        {
            return kept.State;
        }

        var state = await ReadFileAsync(cancellationToken).ConfigureAwait(false);
        _kept = stamp is { } taken ? new KeptRead(taken, state) : null;
        return state;
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

    private async Task<StoredStopState?> ReadFileAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fileReads);
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

    /// <summary>A read and the stamp the file had before it.</summary>
    private sealed record KeptRead(FileStamp Stamp, StoredStopState? State);
}
