using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>A suite as read from its ConfigMap: the record, the object's resourceVersion, and the lease (holder, renewal time).</summary>
public sealed record StoredSuite(SuiteRecord Suite, string ResourceVersion, string? Holder, DateTimeOffset? RenewedAt)
    : StoredRecord<SuiteRecord>(Suite, ResourceVersion, Holder, RenewedAt);
