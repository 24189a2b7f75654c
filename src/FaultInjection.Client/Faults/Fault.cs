using FaultInjection.Client.Dcgm;

namespace FaultInjection.Client.Faults;

/// <summary>A fault as the API returns it; <see cref="Status"/> is <c>injected</c>/<c>dry_run</c> on injection, else the state.</summary>
public sealed class Fault
{
    /// <summary>The fault's id (the caller's <c>fault_id</c> or one the agent generated).</summary>
    public string FaultId { get; init; } = "";

    /// <summary><c>injected</c> or <c>dry_run</c> in an injection's answer; otherwise the same as <see cref="State"/>.</summary>
    public string Status { get; init; } = "";

    /// <summary><c>active</c>, <c>cleared</c>, <c>expired</c> or <c>resolved_by_reboot</c>.</summary>
    public string State { get; init; } = "";

    /// <summary>The catalog name of the fault, e.g. <c>gpu_xid_79</c>.</summary>
    public string FaultType { get; init; } = "";

    /// <summary><c>xid</c> or <c>sxid</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The Xid or SXid number.</summary>
    public int Code { get; init; }

    /// <summary>What was faulted: <c>&lt;node&gt;/gpu&lt;N&gt;</c> or <c>&lt;node&gt;/nvswitch&lt;N&gt;/link&lt;L&gt;</c>.</summary>
    public string Target { get; init; } = "";

    /// <summary>The node whose kernel log holds the line.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>The GPU's Device Minor (Xid faults).</summary>
    public int GpuId { get; init; }

    /// <summary>The PCI bus id of the GPU or NVSwitch.</summary>
    public string PciBusId { get; init; } = "";

    /// <summary>The GPU's UUID (<c>GPU-...</c>); empty for an SXid.</summary>
    public string GpuUuid { get; init; } = "";

    /// <summary>The N of <c>nvidia-nvswitchN</c> for an SXid; null for an Xid.</summary>
    public int? Nvswitch { get; init; }

    /// <summary>The NVLink port on that NVSwitch for an SXid; null for an Xid.</summary>
    public int? Link { get; init; }

    /// <summary>The text after the Xid/SXid number.</summary>
    public string Message { get; init; } = "";

    /// <summary>The driver line as written to the kernel log.</summary>
    public string Line { get; init; } = "";

    /// <summary>Every kernel-log record written for the fault (preamble, the line, follow-ups), with the kernel's proof.</summary>
    public IReadOnlyList<KernelRecord> Records { get; init; } = [];

    /// <summary>When the agent read the line back from the kernel log.</summary>
    public DateTimeOffset? InjectedAt { get; init; }

    /// <summary>When the fault expires on its own (<c>duration</c>); null: active until cleared.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the fault ended (cleared, expired, resolved by a reboot).</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why the fault ended (the clear's reason, <c>duration elapsed</c>, the emergency stop...).</summary>
    public string? EndedReason { get; init; }

    /// <summary>Who ended the fault: the caller who cleared it, or who engaged the emergency stop that expired it.</summary>
    public string? EndedBy { get; init; }

    /// <summary>Who injected it: <c>&lt;api token name&gt;/&lt;caller&gt;</c>.</summary>
    public string Caller { get; init; } = "";

    /// <summary>The per-node idempotency key the agent deduplicated the injection by.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The node's boot id when the line was written (a reboot resolves the fault).</summary>
    public string BootId { get; init; } = "";

    /// <summary>The catalog's severity of the Xid/SXid.</summary>
    public string Severity { get; init; } = "";

    /// <summary>The catalog's recommended action (e.g. <c>RESET_GPU</c>).</summary>
    public string RecommendedAction { get; init; } = "";

    /// <summary>Where the fault was written: <c>kmsg</c>, <c>dcgm</c>.</summary>
    public IReadOnlyList<string> Surfaces { get; init; } = [];

    /// <summary>The DCGM values written for the fault, with the read-back proof and how each was taken back.</summary>
    public IReadOnlyList<DcgmWrite> DcgmWrites { get; init; } = [];

    /// <summary>True when a retry with the same idempotency key returned the first result (nothing written).</summary>
    public bool Replayed { get; init; }

    /// <summary>True for a dry run: the records that would have been written, nothing written or recorded.</summary>
    public bool DryRun { get; init; }

    /// <summary>With <c>collect_bug_report</c>: the nvidia-bug-report.sh run started on the node after the injection.</summary>
    public string? BugReportId { get; init; }

    /// <summary>With <c>collect_bug_report</c>: why no report could be started (the injection itself succeeded).</summary>
    public string? BugReportError { get; init; }

    /// <summary>The driver version whose line form was written (empty: none known).</summary>
    public string DriverVersion { get; init; } = "";

    /// <summary><c>node</c> (the node's /proc/driver/nvidia/version), <c>request</c> (<see cref="XidInjectionOptions.DriverVersion"/>) or <c>default</c> (the newest form).</summary>
    public string DriverVersionSource { get; init; } = "";

    /// <summary>The form written: <c>r565</c>, <c>r570</c>, <c>r575</c>; <c>nvswitch</c> for SXids.</summary>
    public string LineForm { get; init; } = "";

    /// <summary>The MIG GPU instance the line names, if any.</summary>
    public int? GpuInstance { get; init; }

    /// <summary>The MIG compute instance the line names, if any.</summary>
    public int? ComputeInstance { get; init; }

    /// <summary>What could not be written exactly as the driver would, and why (e.g. the board serial left out).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
