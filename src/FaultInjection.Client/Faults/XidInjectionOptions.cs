namespace FaultInjection.Client.Faults;

/// <summary>The optional fields of an Xid injection (body of <c>POST /api/v1/faults/gpu/inject/xid-{n}</c>) and its idempotency key.</summary>
public sealed class XidInjectionOptions
{
    /// <summary>The text after the Xid number; unset: the catalog's default message.</summary>
    public string? Message { get; init; }

    /// <summary>How long the fault counts as active (the agent expires it); unset: until cleared.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Return the records that would be written, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The fault's id (1 to 128 characters <c>[A-Za-z0-9._-]</c>); unset: the agent generates one.</summary>
    public string? FaultId { get; init; }

    /// <summary>Also write the companion lines the driver prints (<c>NVRM: GPU at PCI:...: GPU-&lt;uuid&gt;</c>, and for Xid 79 "GPU has fallen off the bus.").</summary>
    public bool CompanionLines { get; init; }

    /// <summary>The process the driver names in the line (at most 15 characters, the kernel's comm).</summary>
    public string? ProcessName { get; init; }

    /// <summary>The pid the driver names with <see cref="ProcessName"/> (0 to 4194304).</summary>
    public long? Pid { get; init; }

    /// <summary>Where to write the fault: <c>["kmsg"]</c> (unset: the default), <c>["kmsg", "dcgm"]</c> (also DCGM field 230 = the Xid, read back), or <c>["dcgm"]</c>.</summary>
    public IReadOnlyList<string>? Surfaces { get; init; }

    /// <summary>The driver version whose line form to write (<c>535.161.08</c>, <c>570</c>); unset: the node's own driver.</summary>
    public string? DriverVersion { get; init; }

    /// <summary>The MIG GPU instance the line names (<c>GPU-I:%02u</c>); one of the node's (<see cref="Nodes.Gpu.MigInstances"/>).</summary>
    public int? GpuInstance { get; init; }

    /// <summary>The MIG compute instance of <see cref="GpuInstance"/> (<c>GPU-CI:%02u</c>).</summary>
    public int? ComputeInstance { get; init; }

    /// <summary>The channel printed as <c>Ch %08x</c> by the catalog messages that name one.</summary>
    public uint? Channel { get; init; }

    /// <summary>Xid 45 from driver 570.123.01 on: the Xid named in <c>caused by previous Xid N</c>.</summary>
    public int? PreviousXid { get; init; }

    /// <summary>Xid 79: also write the probe-time multi-line "fallen off the bus and is not responding to commands" record.</summary>
    public bool FallenOffBusProbe { get; init; }

    /// <summary>Write the Xid line alone: no once-per-boot preamble, no follow-up lines.</summary>
    public bool OmitCompanionRecords { get; init; }

    /// <summary>After a successful injection (not a dry run), start nvidia-bug-report.sh on the node (<see cref="Fault.BugReportId"/>).</summary>
    public bool CollectBugReport { get; init; }

    /// <summary>Sent as the <c>Idempotency-Key</c> header: a retry returns the first result and writes nothing.</summary>
    public string? IdempotencyKey { get; init; }
}
