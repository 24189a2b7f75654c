namespace FaultInjection.Client.Dcgm;

/// <summary>
/// One value written into DCGM for a fault, with the agent's proof: DCGM's GPU id (found by PCI bus id), the value before
/// and the value read back through DCGM; once the fault ended, how it was taken back.
/// </summary>
public sealed class DcgmWrite
{
    /// <summary>The DCGM field id written.</summary>
    public int FieldId { get; init; }

    /// <summary>The dcgm_fields.h name, e.g. <c>DCGM_FI_DEV_XID_ERRORS</c>.</summary>
    public string FieldName { get; init; } = "";

    /// <summary>DCGM's own GPU id (not the Device Minor).</summary>
    public int DcgmGpuId { get; init; }

    /// <summary>The DCGM host engine written to (<c>dcgmi --host</c>).</summary>
    public string HostEngine { get; init; } = "";

    /// <summary>The value written.</summary>
    public string Value { get; init; } = "";

    /// <summary>What DCGM held before (<c>N/A</c>: no value).</summary>
    public string ValueBefore { get; init; } = "";

    /// <summary>What <c>dcgmi dmon</c> read back after the write (empty on a dry run).</summary>
    public string ReadBack { get; init; } = "";

    /// <summary>When the read-back matched the value written; null on a dry run.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>What ending the fault writes back.</summary>
    public string RestoreValue { get; init; } = "";

    /// <summary><c>restored</c>, <c>held</c> (another open fault holds the field), <c>failed</c> (retried), <c>not_needed</c>; null while open.</summary>
    public string? RestoreState { get; init; }

    /// <summary>What DCGM read back after the restore.</summary>
    public string RestoredReadBack { get; init; } = "";

    /// <summary>When the value was taken back.</summary>
    public DateTimeOffset? RestoredAt { get; init; }

    /// <summary>Why the restore is held or failed, in words.</summary>
    public string RestoreDetail { get; init; } = "";
}
