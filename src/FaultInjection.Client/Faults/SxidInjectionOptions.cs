namespace FaultInjection.Client.Faults;

/// <summary>The optional fields of an NVSwitch SXid injection (body of <c>POST /api/v1/faults/gpu/inject/sxid-{n}</c>).</summary>
public sealed class SxidInjectionOptions
{
    /// <summary>The NVSwitch's PCI bus id; unset: the agent's discovered NVSwitch <c>nvswitch</c>.</summary>
    public string? PciBusId { get; init; }

    /// <summary>The text after the SXid number; unset: the catalog's default message.</summary>
    public string? Message { get; init; }

    /// <summary>How long the fault counts as active (the agent expires it); unset: until cleared.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Return the records that would be written, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The fault's id (1 to 128 characters <c>[A-Za-z0-9._-]</c>); unset: the agent generates one.</summary>
    public string? FaultId { get; init; }

    /// <summary>Append <c> (First)</c>, as the driver marks the first error of a burst.</summary>
    public bool First { get; init; }

    /// <summary><c>Fatal</c>, <c>Non-fatal</c> or <c>Correctable</c>; unset: the catalog's.</summary>
    public string? ErrorClass { get; init; }

    /// <summary>The words of the follow-up <c>Data {...}</c> lines: the flags, then data[0..15].</summary>
    public IReadOnlyList<uint>? Data { get; init; }

    /// <summary>Write the SXid line alone, without its Severity and Data lines.</summary>
    public bool OmitCompanionRecords { get; init; }

    /// <summary>After a successful injection (not a dry run), start nvidia-bug-report.sh on the node (<see cref="Fault.BugReportId"/>).</summary>
    public bool CollectBugReport { get; init; }

    /// <summary>Sent as the <c>Idempotency-Key</c> header: a retry returns the first result and writes nothing.</summary>
    public string? IdempotencyKey { get; init; }
}
