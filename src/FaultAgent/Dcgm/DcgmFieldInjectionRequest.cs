namespace FaultAgent.Dcgm;

/// <summary>A DCGM field fault as asked by a caller (gRPC InjectDcgmField).</summary>
public sealed record DcgmFieldInjectionRequest
{
    public string? FaultId { get; init; }

    /// <summary>The GPU's Device Minor.</summary>
    public int GpuId { get; init; }

    /// <summary>The field's id, dcgm_fields.h name or dcgmi long name.</summary>
    public string? Field { get; init; }

    /// <summary>The value as decimal text.</summary>
    public string? Value { get; init; }

    public TimeSpan? Duration { get; init; }

    public bool DryRun { get; init; }

    public string? IdempotencyKey { get; init; }
}
