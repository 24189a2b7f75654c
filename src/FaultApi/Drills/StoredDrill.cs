using FaultApi.Storage;

namespace FaultApi.Drills;

/// <summary>A drill as read from its ConfigMap: the record, the object's resourceVersion, and the lease (holder, renewal time).</summary>
public sealed record StoredDrill(DrillRecord Drill, string ResourceVersion, string? Holder, DateTimeOffset? RenewedAt)
    : StoredRecord<DrillRecord>(Drill, ResourceVersion, Holder, RenewedAt);
