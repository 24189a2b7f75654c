using FaultInjection.Client.Dcgm;

namespace FaultInjection.Client.Faults;

/// <summary>A fault as the API returns it; <see cref="Status"/> is <c>injected</c>/<c>dry_run</c> on injection, else the state.</summary>
public sealed class Fault
{
    public string FaultId { get; init; } = "";

    public string Status { get; init; } = "";

    /// <summary><c>active</c>, <c>cleared</c>, <c>expired</c> or <c>resolved_by_reboot</c>.</summary>
    public string State { get; init; } = "";

    public string FaultType { get; init; } = "";

    public string Kind { get; init; } = "";

    public int Code { get; init; }

    public string Target { get; init; } = "";

    public string NodeName { get; init; } = "";

    public int GpuId { get; init; }

    public string PciBusId { get; init; } = "";

    public string GpuUuid { get; init; } = "";

    public int? Nvswitch { get; init; }

    public int? Link { get; init; }

    public string Message { get; init; } = "";

    /// <summary>The driver line as written to the kernel log.</summary>
    public string Line { get; init; } = "";

    public IReadOnlyList<KernelRecord> Records { get; init; } = [];

    public DateTimeOffset? InjectedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? EndedReason { get; init; }

    /// <summary>Who ended the fault: the caller who cleared it, or who engaged the emergency stop that expired it.</summary>
    public string? EndedBy { get; init; }

    public string Caller { get; init; } = "";

    public string? IdempotencyKey { get; init; }

    public string BootId { get; init; } = "";

    public string Severity { get; init; } = "";

    public string RecommendedAction { get; init; } = "";

    /// <summary>Where the fault was written: <c>kmsg</c>, <c>dcgm</c>.</summary>
    public IReadOnlyList<string> Surfaces { get; init; } = [];

    /// <summary>The DCGM values written for the fault, with the read-back proof and how each was taken back.</summary>
    public IReadOnlyList<DcgmWrite> DcgmWrites { get; init; } = [];

    /// <summary>True when a retry with the same idempotency key returned the first result (nothing written).</summary>
    public bool Replayed { get; init; }

    public bool DryRun { get; init; }
}
