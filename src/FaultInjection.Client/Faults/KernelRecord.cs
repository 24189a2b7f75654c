namespace FaultInjection.Client.Faults;

/// <summary>One kernel log record written for a fault, with the kernel's proof (sequence number, timestamp).</summary>
public sealed class KernelRecord
{
    /// <summary>The record's text as the kernel log holds it.</summary>
    public string Text { get; init; } = "";

    /// <summary>The syslog level (4 for NVRM Xid lines, 3 for SXid lines).</summary>
    public int Level { get; init; }

    /// <summary>The syslog facility (0: kernel).</summary>
    public int Facility { get; init; }

    /// <summary>The kernel's sequence number of the record (0 on a dry run: nothing was written).</summary>
    public ulong Sequence { get; init; }

    /// <summary>The kernel's timestamp (microseconds since boot).</summary>
    public ulong TimestampUs { get; init; }

    /// <summary>When the agent read the record back.</summary>
    public DateTimeOffset? ObservedAt { get; init; }
}
