using FaultAgent.Dcgm;
using FaultAgent.Faults;
using FaultAgent.Registry;

namespace FaultAgent.Http;

/// <summary>
/// A fault as the HTTP routes show it: snake_case JSON with the API's field names (<c>nvswitch</c> and <c>link</c> are
/// null on an Xid fault, <c>target</c> names what was faulted).
/// </summary>
public sealed record FaultResource
{
    public required string FaultId { get; init; }

    public required string NodeName { get; init; }

    public required FaultKind Kind { get; init; }

    public int Code { get; init; }

    public required string FaultType { get; init; }

    /// <summary><c>&lt;node&gt;/gpu&lt;id&gt;</c> or <c>&lt;node&gt;/nvswitch&lt;n&gt;/link&lt;l&gt;</c>.</summary>
    public required string Target { get; init; }

    public int GpuId { get; init; }

    public required string PciBusId { get; init; }

    public required string GpuUuid { get; init; }

    public required string Message { get; init; }

    public required string Line { get; init; }

    public required IReadOnlyList<KernelRecordResource> Records { get; init; }

    public FaultState State { get; init; }

    public DateTimeOffset InjectedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? EndedReason { get; init; }

    /// <summary>Who ended it: the caller of a clear, or the one who engaged the emergency stop.</summary>
    public string? EndedBy { get; init; }

    public required string Caller { get; init; }

    public string? IdempotencyKey { get; init; }

    public required string BootId { get; init; }

    public required string Severity { get; init; }

    public required string RecommendedAction { get; init; }

    public int? Nvswitch { get; init; }

    public int? Link { get; init; }

    /// <summary><c>verified</c>, <c>unknown</c> (a record may have landed, unproven) or <c>partially_written</c>.</summary>
    public FaultWriteOutcome WriteOutcome { get; init; }

    /// <summary>Planned records not proven to be in the kernel log (empty when verified).</summary>
    public required IReadOnlyList<KernelRecordResource> UnconfirmedRecords { get; init; }

    public string? WriteError { get; init; }

    /// <summary>Where the fault was written: <c>kmsg</c>, <c>dcgm</c>.</summary>
    public required IReadOnlyList<string> Surfaces { get; init; }

    /// <summary>The DCGM values written for the fault, with their read-back and restore proof.</summary>
    public required IReadOnlyList<DcgmFieldWriteRecord> DcgmWrites { get; init; }

    /// <summary>The driver version whose format was written, where it came from, and the form (<c>r565</c>, <c>r570</c>, <c>r575</c>, <c>nvswitch</c>).</summary>
    public string DriverVersion { get; init; } = "";

    public string DriverVersionSource { get; init; } = "";

    public string LineForm { get; init; } = "";

    public int? GpuInstance { get; init; }

    public int? ComputeInstance { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];

    public static FaultResource From(FaultRecord fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var sxid = fault.Kind == FaultKind.Sxid;
        return new FaultResource
        {
            FaultId = fault.FaultId,
            NodeName = fault.NodeName,
            Kind = fault.Kind,
            Code = fault.Code,
            FaultType = fault.FaultType,
            Target = sxid ? $"{fault.NodeName}/nvswitch{fault.NvSwitch}/link{fault.Link}" : $"{fault.NodeName}/gpu{fault.GpuId}",
            GpuId = fault.GpuId,
            PciBusId = fault.PciBusId,
            GpuUuid = fault.GpuUuid,
            Message = fault.Message,
            Line = fault.Line,
            Records = [.. fault.Records.Select(Resource)],
            State = fault.State,
            InjectedAt = fault.InjectedAt,
            ExpiresAt = fault.ExpiresAt,
            EndedAt = fault.EndedAt,
            EndedReason = fault.EndedReason,
            EndedBy = string.IsNullOrEmpty(fault.EndedBy) ? null : fault.EndedBy,
            Caller = fault.Caller,
            IdempotencyKey = fault.IdempotencyKey,
            BootId = fault.BootId,
            Severity = fault.Severity,
            RecommendedAction = fault.RecommendedAction,
            Nvswitch = sxid ? fault.NvSwitch : null,
            Link = sxid ? fault.Link : null,
            WriteOutcome = fault.WriteOutcome,
            UnconfirmedRecords = [.. fault.UnconfirmedRecords.Select(Resource)],
            WriteError = fault.WriteError,
            Surfaces = fault.Surfaces.Count > 0 || fault.Kind == FaultKind.DcgmField ? fault.Surfaces : InjectionSurfaces.Default,
            DcgmWrites = fault.DcgmWrites,
            DriverVersion = fault.Driver?.DriverVersion ?? "",
            DriverVersionSource = fault.Driver?.VersionSource ?? "",
            LineForm = fault.Driver?.LineForm ?? "",
            GpuInstance = fault.Driver?.GpuInstance,
            ComputeInstance = fault.Driver?.ComputeInstance,
            Notes = fault.Driver?.Notes ?? [],
        };
    }

    private static KernelRecordResource Resource(FaultKernelRecord record) =>
        new(record.Text, record.Level, record.Facility, record.Sequence, record.TimestampMicroseconds, record.ObservedAt);
}
