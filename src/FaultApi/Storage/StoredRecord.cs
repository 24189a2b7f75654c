namespace FaultApi.Storage;

/// <summary>A record as read from its ConfigMap: the record, the object's resourceVersion, and the lease (holder, renewal time).</summary>
public abstract record StoredRecord<TRecord>(TRecord Record, string ResourceVersion, string? Holder, DateTimeOffset? RenewedAt)
    where TRecord : class, ILeasedRecord
{
    public bool LeaseExpired(DateTimeOffset now, TimeSpan leaseDuration) =>
        string.IsNullOrEmpty(Holder) || RenewedAt is null || RenewedAt.Value + leaseDuration < now;
}
