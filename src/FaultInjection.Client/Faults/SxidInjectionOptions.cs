namespace FaultInjection.Client.Faults;

/// <summary>The optional fields of an NVSwitch SXid injection (body of <c>POST /api/v1/faults/gpu/inject/sxid-{n}</c>).</summary>
public sealed class SxidInjectionOptions
{
    /// <summary>The NVSwitch's PCI bus id; unset: the agent's discovered NVSwitch <c>nvswitch</c>.</summary>
    public string? PciBusId { get; init; }

    public string? Message { get; init; }

    public TimeSpan? Duration { get; init; }

    public bool DryRun { get; init; }

    public string? FaultId { get; init; }

    /// <summary>Sent as the <c>Idempotency-Key</c> header.</summary>
    public string? IdempotencyKey { get; init; }
}
