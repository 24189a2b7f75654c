namespace FaultAgent.Registry;

/// <summary>
/// One record written for a fault, with the kernel's proof: sequence and timestamp as read back from /dev/kmsg.
/// On a dry run or a not-yet-written plan, <see cref="Sequence"/> and <see cref="TimestampMicroseconds"/> are 0.
/// </summary>
public sealed record FaultKernelRecord(
    string Text,
    int Level,
    int Facility,
    ulong Sequence,
    ulong TimestampMicroseconds,
    DateTimeOffset? ObservedAt);
