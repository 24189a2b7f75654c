namespace FaultApi.Faults;

/// <summary>One kernel log record written for a fault, with the kernel's proof (sequence, timestamp).</summary>
public sealed record KernelRecordResource(string Text, int Level, int Facility, ulong Sequence, ulong TimestampUs, DateTimeOffset? ObservedAt);
