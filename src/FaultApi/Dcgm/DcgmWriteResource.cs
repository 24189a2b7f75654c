using FaultInjection.Agent.V1;

namespace FaultApi.Dcgm;

/// <summary>
/// One value written into DCGM for a fault (snake_case JSON): DCGM's GPU id, the value before, the value read back,
/// and once the fault ended how it was taken back (<c>restore_state</c>: <c>restored</c>, <c>held</c>, <c>failed</c>,
/// <c>not_needed</c>; null while the fault is open).
/// </summary>
public sealed record DcgmWriteResource(
    int FieldId,
    string FieldName,
    int DcgmGpuId,
    string HostEngine,
    string Value,
    string ValueBefore,
    string ReadBack,
    DateTimeOffset? VerifiedAt,
    string RestoreValue,
    string? RestoreState,
    string RestoredReadBack,
    DateTimeOffset? RestoredAt,
    string RestoreDetail)
{
    public static DcgmWriteResource From(DcgmFieldWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return new DcgmWriteResource(
            write.FieldId,
            write.FieldName,
            write.DcgmGpuId,
            write.HostEngine.Length == 0 ? "localhost" : write.HostEngine,
            write.Value,
            write.ValueBefore,
            write.ReadBack,
            write.VerifiedAt?.ToDateTimeOffset(),
            write.RestoreValue,
            write.RestoreState switch
            {
                DcgmRestoreState.Restored => "restored",
                DcgmRestoreState.Held => "held",
                DcgmRestoreState.Failed => "failed",
                DcgmRestoreState.NotNeeded => "not_needed",
                _ => null,
            },
            write.RestoredReadBack,
            write.RestoredAt?.ToDateTimeOffset(),
            write.RestoreDetail);
    }
}
