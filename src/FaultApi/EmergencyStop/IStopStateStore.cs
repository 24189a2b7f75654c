namespace FaultApi.EmergencyStop;

/// <summary>
/// Where the stop state lives so every API replica sees it and it survives restarts (a ConfigMap, or a file in static
/// mode). Writes are compare-and-swap on the stored revision: of two replicas writing over the same revision, one wins and
/// the other is told, so it re-reads and decides again.
/// </summary>
public interface IStopStateStore
{
    /// <summary>The stored state and its revision; null when none was ever stored.</summary>
    /// <exception cref="StopStateStoreException">The store cannot be read.</exception>
    Task<StoredStopState?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="state"/> if the store still holds <paramref name="expectedRevision"/> (null: nothing is stored
    /// yet); returns the new revision, or null when another writer came first (nothing written).
    /// </summary>
    /// <exception cref="StopStateStoreException">The store cannot be written.</exception>
    Task<string?> TryWriteAsync(StopState state, string? expectedRevision, CancellationToken cancellationToken);
}
