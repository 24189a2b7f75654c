using FaultApi.Storage;

namespace FaultApi.Tests.Storage;

public sealed record StoredTestRecord(TestLeasedRecord Widget, string ResourceVersion, string? Holder, DateTimeOffset? RenewedAt)
    : StoredRecord<TestLeasedRecord>(Widget, ResourceVersion, Holder, RenewedAt);
