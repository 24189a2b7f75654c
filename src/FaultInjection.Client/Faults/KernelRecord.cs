namespace FaultInjection.Client.Faults;

/// <summary>One kernel log record written for a fault, with the kernel's proof (sequence number, timestamp).</summary>
public sealed class KernelRecord
{
    public string Text { get; init; } = "";

    public int Level { get; init; }

    public int Facility { get; init; }

    /// <summary>The kernel's sequence number of the record (0 on a dry run: nothing was written).</summary>
    public ulong Sequence { get; init; }

    public ulong TimestampUs { get; init; }

    public DateTimeOffset? ObservedAt { get; init; }
}
