namespace FaultInjection.Client.Dcgm;

/// <summary>The optional fields of a DCGM field injection (<c>POST /api/v1/faults/gpu/inject/dcgm-field</c>).</summary>
public sealed class DcgmFieldInjectionOptions
{
    /// <summary>How long the fault counts as active (the agent then writes the value before back); unset: until cleared.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Find DCGM's GPU and read the value now; write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The fault's id (unique on the node); unset: the agent generates one.</summary>
    public string? FaultId { get; init; }

    /// <summary>Sent as the <c>Idempotency-Key</c> header: a retry returns the first result and writes nothing.</summary>
    public string? IdempotencyKey { get; init; }
}
