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

    public string? FaultId { get; init; }

    /// <summary>Also write the companion lines the driver prints (<c>NVRM: GPU at PCI:...: GPU-&lt;uuid&gt;</c>, and for Xid 79 "GPU has fallen off the bus.").</summary>
    public bool CompanionLines { get; init; }

    public string? ProcessName { get; init; }

    public long? Pid { get; init; }

    /// <summary>Where to write the fault: <c>["kmsg"]</c> (unset: the default), <c>["kmsg", "dcgm"]</c> (also DCGM field 230 = the Xid, read back), or <c>["dcgm"]</c>.</summary>
    public IReadOnlyList<string>? Surfaces { get; init; }

    /// <summary>Sent as the <c>Idempotency-Key</c> header: a retry returns the first result and writes nothing.</summary>
    public string? IdempotencyKey { get; init; }
}
