namespace FaultApi.Drills;

/// <summary>A drill as read from its ConfigMap: the record, the object's resourceVersion, and the lease (holder, renewal time).</summary>
public sealed record StoredDrill(DrillRecord Drill, string ResourceVersion, string? Holder, DateTimeOffset? RenewedAt)
{
    public bool LeaseExpired(DateTimeOffset now, TimeSpan leaseDuration) =>
        string.IsNullOrEmpty(Holder) || RenewedAt is null || RenewedAt.Value + leaseDuration < now;
}
