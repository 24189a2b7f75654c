namespace FaultApi.BlastRadius;

/// <summary>Where the <see cref="BlastRadiusLedger"/> lives; writes are compare-and-swap on its revision, like the stop's.</summary>
public interface IBlastRadiusLedgerStore
{
    /// <summary>The ledger and its revision (an empty ledger and null when none was ever written).</summary>
    /// <exception cref="Storage.StoredDocumentException">It cannot be read, or does not hold a ledger.</exception>
    Task<(BlastRadiusLedger Ledger, string? Revision)> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="ledger"/> over <paramref name="expectedRevision"/>; the new revision, or null when another writer came first.</summary>
    /// <exception cref="Storage.StoredDocumentException">It cannot be written.</exception>
    Task<string?> TryWriteAsync(BlastRadiusLedger ledger, string? expectedRevision, CancellationToken cancellationToken);
}
