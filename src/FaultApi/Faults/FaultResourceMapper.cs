using FaultInjection.Agent.V1;
using FaultApi.Dcgm;
using Google.Protobuf.WellKnownTypes;

namespace FaultApi.Faults;

/// <summary>Agent <see cref="Fault"/> messages to <see cref="FaultResource"/>.</summary>
public static class FaultResourceMapper
{
    public static FaultResource FromInjection(InjectResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Map(response.Fault, response.DryRun ? "dry_run" : "injected", response.Replayed, response.DryRun);
    }

    public static FaultResource FromFault(Fault fault) => Map(fault, StateName(fault.State), false, false);

    public static string StateName(FaultState state) => state switch
    {
        FaultState.Active => "active",
        FaultState.Cleared => "cleared",
        FaultState.Expired => "expired",
        FaultState.ResolvedByReboot => "resolved_by_reboot",
        FaultState.OutcomeUnknown => "outcome_unknown",
        FaultState.PartiallyWritten => "partially_written",
        _ => "unknown",
    };

    private static FaultResource Map(Fault fault, string status, bool replayed, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var sxid = fault.Kind == FaultKind.Sxid;
        return new FaultResource(
            fault.FaultId,
            status,
            dryRun ? "dry_run" : StateName(fault.State),
            fault.FaultType,
            sxid ? "sxid" : fault.Kind == FaultKind.DcgmField ? "dcgm_field" : "xid",
            fault.Code,
            sxid ? $"{fault.NodeName}/nvswitch{fault.Nvswitch}/link{fault.Link}" : $"{fault.NodeName}/gpu{fault.GpuId}",
            fault.NodeName,
            fault.GpuId,
            fault.PciBusId,
            fault.GpuUuid,
            sxid ? fault.Nvswitch : null,
            sxid ? fault.Link : null,
            fault.Message,
            fault.Line,
            [.. fault.Records.Select(r => new KernelRecordResource(r.Text, r.Level, r.Facility, r.Sequence, r.TimestampUs, Time(r.ObservedAt)))],
            Time(fault.InjectedAt),
            Time(fault.ExpiresAt),
            Time(fault.EndedAt),
            string.IsNullOrEmpty(fault.EndedReason) ? null : fault.EndedReason,
            fault.Caller,
            string.IsNullOrEmpty(fault.IdempotencyKey) ? null : fault.IdempotencyKey,
            fault.BootId,
            fault.Severity,
            fault.RecommendedAction,
            replayed,
            dryRun)
        {
            EndedBy = string.IsNullOrEmpty(fault.EndedBy) ? null : fault.EndedBy,
            DriverVersion = fault.DriverVersion,
            DriverVersionSource = fault.DriverVersionSource,
            LineForm = fault.LineForm,
            GpuInstance = fault.HasGpuInstance ? fault.GpuInstance : null,
            ComputeInstance = fault.HasComputeInstance ? fault.ComputeInstance : null,
            Notes = [.. fault.Notes],
            Surfaces = fault.Surfaces.Count > 0 ? [.. fault.Surfaces] : ["kmsg"],
            DcgmWrites = [.. fault.DcgmWrites.Select(DcgmWriteResource.From)],
        };
    }

    private static DateTimeOffset? Time(Timestamp? timestamp) => timestamp is null ? null : timestamp.ToDateTimeOffset();
}
