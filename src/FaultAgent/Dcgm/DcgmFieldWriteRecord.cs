using System.Text.Json.Serialization;

namespace FaultAgent.Dcgm;

/// <summary>
/// One value written into a DCGM hostengine's cache for a fault, as the registry keeps it: what was there before, what
/// DCGM read back, and (once the fault ended) what was written back and read back then.
/// </summary>
public sealed record DcgmFieldWriteRecord
{
    public required int FieldId { get; init; }

    /// <summary>The dcgm_fields.h name (<c>DCGM_FI_DEV_XID_ERRORS</c>).</summary>
    public required string FieldName { get; init; }

    /// <summary>DCGM's own GPU id at the time of the write (dcgmi discovery -l, matched by PCI bus id).</summary>
    public required int DcgmGpuId { get; init; }

    /// <summary>The GPU's PCI bus id in procfs form: what identifies the GPU across hostengine restarts.</summary>
    public required string PciBusId { get; init; }

    /// <summary>The hostengine as dcgmi was told it; empty: dcgmi's default (localhost).</summary>
    public string HostEngine { get; init; } = "";

    public required long Value { get; init; }

    /// <summary>What dcgmi dmon printed before the write (<c>N/A</c>: DCGM held no value).</summary>
    public string ValueBefore { get; init; } = DcgmFieldReading.NotAvailable;

    /// <summary>What dcgmi dmon printed after the write; empty on a dry run.</summary>
    public string ReadBack { get; init; } = "";

    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>What ending the fault writes back.</summary>
    public required long RestoreValue { get; init; }

    public DcgmRestoreState RestoreState { get; init; }

    public string RestoredReadBack { get; init; } = "";

    public DateTimeOffset? RestoredAt { get; init; }

    public string RestoreDetail { get; init; } = "";

    /// <summary>True when both name the same field of the same GPU on the same hostengine.</summary>
    public bool SameCell(DcgmFieldWriteRecord other) =>
        other is not null
        && other.FieldId == FieldId
        && string.Equals(other.PciBusId, PciBusId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(other.HostEngine, HostEngine, StringComparison.Ordinal);

    /// <summary>True while the value may still stand in DCGM on the fault's account (not restored, held or moot).</summary>
    [JsonIgnore]
    public bool NeedsRestore => RestoreState is DcgmRestoreState.None or DcgmRestoreState.Failed;
}
