using System.Text.Json.Serialization;
using FaultApi.Dcgm;

namespace FaultApi.Faults;

/// <summary>A fault as the API returns it (snake_case JSON); <c>status</c> is <c>injected</c>/<c>dry_run</c> on injection, else the state.</summary>
public sealed record FaultResource(
    string FaultId,
    string Status,
    string State,
    string FaultType,
    string Kind,
    int Code,
    string Target,
    string NodeName,
    int GpuId,
    string PciBusId,
    string GpuUuid,
    int? Nvswitch,
    int? Link,
    string Message,
    string Line,
    IReadOnlyList<KernelRecordResource> Records,
    DateTimeOffset? InjectedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? EndedAt,
    string? EndedReason,
    string Caller,
    string? IdempotencyKey,
    string BootId,
    string Severity,
    string RecommendedAction,
    bool Replayed,
    bool DryRun)
{
    /// <summary>Who ended the fault: the caller who cleared it, or who engaged the emergency stop that expired it.</summary>
    public string? EndedBy { get; init; }

    /// <summary>Where the fault was written: <c>kmsg</c> (the kernel log) and/or <c>dcgm</c>.</summary>
    public IReadOnlyList<string> Surfaces { get; init; } = ["kmsg"];

    /// <summary>The DCGM values written for the fault, with the read-back proof and how each was taken back.</summary>
    public IReadOnlyList<DcgmWriteResource> DcgmWrites { get; init; } = [];

    /// <summary>With <c>collect_bug_report</c>: the report started on the node after the injection.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BugReportId { get; init; }

    /// <summary>With <c>collect_bug_report</c>: why no report could be started (the injection itself succeeded).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BugReportError { get; init; }

    /// <summary>The driver version whose line format was written (empty: none known).</summary>
    public string DriverVersion { get; init; } = "";

    /// <summary><c>node</c> (the node's /proc/driver/nvidia/version), <c>request</c> (<c>driver_version</c>) or <c>default</c> (no version file: the newest form).</summary>
    public string DriverVersionSource { get; init; } = "";

    /// <summary>The form written: <c>r565</c>, <c>r570</c>, <c>r575</c>; <c>nvswitch</c> for SXids.</summary>
    public string LineForm { get; init; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? GpuInstance { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ComputeInstance { get; init; }

    /// <summary>What could not be written exactly as the driver would, and why (e.g. the board serial left out).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
