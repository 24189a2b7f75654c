using System.Text.Json.Serialization;

namespace FaultApi.Faults;

/// <summary>Body of <c>POST /api/v1/faults/gpu/inject/xid-{n}</c>: one node (<c>node_name</c>) or k nodes matching <c>node_selector</c>.</summary>
public sealed class InjectXidBody
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

    /// <summary>After a successful (not dry-run) injection, start nvidia-bug-report.sh on the node (trigger <c>injection:&lt;fault_id&gt;</c>).</summary>
    [JsonPropertyName("collect_bug_report")]
    public bool CollectBugReport { get; set; }
}
