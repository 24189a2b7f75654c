using System.Text.Json.Serialization;

namespace FaultApi.Faults;

/// <summary>Body of <c>POST /api/v1/faults/gpu/inject/xid-{n}</c>: one node (<c>node_name</c>) or k nodes matching <c>node_selector</c>.</summary>
public sealed class InjectXidBody : IInjectionTargetBody
{
    [JsonPropertyName("node_name")]
    public string? NodeName { get; set; }

    [JsonPropertyName("node_selector")]
    public string? NodeSelector { get; set; }

    [JsonPropertyName("count")]
    public int? Count { get; set; }

    /// <summary>The GPU's Device Minor (0 to 247); unset: 0.</summary>
    [JsonPropertyName("gpu_id")]
    public int? GpuId { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>Seconds the fault counts as active; unset: until cleared.</summary>
    [JsonPropertyName("duration")]
    public double? Duration { get; set; }

    [JsonPropertyName("dry_run")]
    public bool DryRun { get; set; }

    [JsonPropertyName("fault_id")]
    public string? FaultId { get; set; }

    [JsonPropertyName("companion_lines")]
    public bool CompanionLines { get; set; }

    [JsonPropertyName("process_name")]
    public string? ProcessName { get; set; }

    [JsonPropertyName("pid")]
    public long? Pid { get; set; }

    /// <summary>The driver branch whose line format to write (<c>535.161.08</c>, <c>570</c>); unset: the node's.</summary>
    [JsonPropertyName("driver_version")]
    public string? DriverVersion { get; set; }

    /// <summary>MIG GPU instance (<c>GPU-I:%02u</c>), one of the node's.</summary>
    [JsonPropertyName("gpu_instance")]
    public int? GpuInstance { get; set; }

    /// <summary>MIG compute instance of that GPU instance (<c>GPU-CI:%02u</c>).</summary>
    [JsonPropertyName("compute_instance")]
    public int? ComputeInstance { get; set; }

    /// <summary>The channel printed as <c>Ch %08x</c> in catalog bodies that name one.</summary>
    [JsonPropertyName("channel")]
    public uint? Channel { get; set; }

    /// <summary>Xid 45 (drivers from 570.123.01): <c>caused by previous Xid N</c>.</summary>
    [JsonPropertyName("previous_xid")]
    public int? PreviousXid { get; set; }

    /// <summary>Xid 79: also the probe-time multi-line "fallen off the bus and is not responding to commands" record.</summary>
    [JsonPropertyName("fallen_off_bus_probe")]
    public bool FallenOffBusProbe { get; set; }

    /// <summary>Write the Xid line alone (no preamble, no follow-up lines).</summary>
    [JsonPropertyName("omit_companion_records")]
    public bool OmitCompanionRecords { get; set; }

    /// <summary>Where to write the fault: <c>["kmsg"]</c> (the default), <c>["kmsg","dcgm"]</c> (also DCGM field 230 = the Xid), or <c>["dcgm"]</c>.</summary>
    [JsonPropertyName("surfaces")]
    public IList<string>? Surfaces { get; init; }

    /// <summary>After a successful (not dry-run) injection, start nvidia-bug-report.sh on the node (trigger <c>injection:&lt;fault_id&gt;</c>).</summary>
    [JsonPropertyName("collect_bug_report")]
    public bool CollectBugReport { get; set; }
}
