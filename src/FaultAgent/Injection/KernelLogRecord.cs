namespace FaultAgent.Injection;

/// <summary>A record as the kernel keeps it, read back from /dev/kmsg (<c>prio,seq,usec,flags;text</c>).</summary>
/// <param name="TimestampMicroseconds">Microseconds since boot (CLOCK_MONOTONIC), as the kernel stamped it.</param>
public sealed record KernelLogRecord(ulong Sequence, ulong TimestampMicroseconds, int Facility, int Level, string Text);
