namespace FaultAgent.Tests.Infrastructure;

/// <summary>One record as a <see cref="KernelLogRecorder"/> read it from /dev/kmsg: its header's fields and its text.</summary>
/// <param name="Sequence">The kernel's sequence number.</param>
/// <param name="Facility">The syslog facility (1: user, which every record written to /dev/kmsg from user space gets).</param>
/// <param name="Level">The syslog level (4: warn).</param>
/// <param name="Microseconds">The record's timestamp, microseconds since boot.</param>
/// <param name="Text">The text, as /dev/kmsg gives it (bytes outside printable ASCII escaped as \xNN).</param>
public readonly record struct RecordedKernelRecord(ulong Sequence, int Facility, int Level, ulong Microseconds, string Text);
