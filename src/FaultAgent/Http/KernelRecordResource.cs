namespace FaultAgent.Http;

public sealed record KernelRecordResource(string Text, int Level, int Facility, ulong Sequence, ulong TimestampUs, DateTimeOffset? ObservedAt);
