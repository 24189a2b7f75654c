using System.Text.Json.Serialization;
using FaultApi.Storage;

namespace FaultApi.Drills;

/// <summary>
/// A drill as stored (the <c>drill.json</c> of its ConfigMap) and returned by the API (snake_case JSON).
/// <c>injected_at</c> is t0: the agent's wall clock when the kernel-log record landed.
/// </summary>
public sealed class DrillRecord : ILeasedRecord
{
    public string DrillId { get; set; } = "";

    public string NodeName { get; set; } = "";

    /// <summary><c>xid</c> or <c>sxid</c>.</summary>
    public string Kind { get; set; } = "xid";

    public int Code { get; set; }

    public int? GpuId { get; set; }

    public int? Nvswitch { get; set; }

    public int? Link { get; set; }

    public string? Message { get; set; }

    public IList<string> Expect { get; init; } = [];

    /// <summary>Where the fault is injected: <c>kmsg</c> and/or <c>dcgm</c>.</summary>
    public IList<string> Surfaces { get; init; } = ["kmsg"];

    public double TimeoutSeconds { get; set; }

    public DrillState State { get; set; } = DrillState.Running;

    /// <summary>Why the drill ended (the expectations never met, the cancellation's reason, an error).</summary>
    public string? Reason { get; set; }

    /// <summary>Expectations not met (yet, or at the end).</summary>
    public IList<string> Missing { get; init; } = [];

    public string Caller { get; set; } = "";

    /// <summary>The suite that started this drill, if any.</summary>
    public string? SuiteId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? InjectedAt { get; set; }

    public DateTimeOffset? Deadline { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? FaultId { get; set; }

    /// <summary>The kernel-log line written.</summary>
    public string? Line { get; set; }

    /// <summary>The first record's monotonic kernel timestamp (µs since boot) and sequence.</summary>
    public ulong? KernelTimestampUs { get; set; }

    public ulong? KernelSequence { get; set; }

    public DrillBaseline Baseline { get; set; } = new();

    public IList<DrillStep> Steps { get; init; } = [];

    [JsonIgnore]
    public bool IsFinal => State != DrillState.Running;

    string ILeasedRecord.Id => DrillId;

    string ILeasedRecord.StateName => State.JsonName();
}
