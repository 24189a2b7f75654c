namespace FaultApi.Suites;

/// <summary>A suite as read from its ConfigMap: the record, the object's resourceVersion, and the lease (holder, renewal time).</summary>
public sealed record StoredSuite(SuiteRecord Suite, string ResourceVersion, string? Holder, DateTimeOffset? RenewedAt)
{
    public bool LeaseExpired(DateTimeOffset now, TimeSpan leaseDuration) =>
        string.IsNullOrEmpty(Holder) || RenewedAt is null || RenewedAt.Value + leaseDuration < now;
}
