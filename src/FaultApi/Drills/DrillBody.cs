using System.Text.Json.Serialization;

namespace FaultApi.Drills;

/// <summary>Body of <c>POST /api/v1/drills</c>: one Xid (<c>xid</c>, <c>gpu_id</c>) or SXid (<c>sxid</c>, <c>nvswitch</c>, <c>link</c>) and the expectations.</summary>
public sealed class DrillBody
{
    [JsonPropertyName("node_name")]
    public string? NodeName { get; set; }

    [JsonPropertyName("gpu_id")]
    public int? GpuId { get; set; }

    [JsonPropertyName("xid")]
    public int? Xid { get; set; }

    [JsonPropertyName("sxid")]
    public int? Sxid { get; set; }

    [JsonPropertyName("nvswitch")]
    public int? NvSwitch { get; set; }

    [JsonPropertyName("link")]
    public int? Link { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>Where to inject: <c>["kmsg"]</c> (the default) and/or <c>"dcgm"</c> (Xid drills: also DCGM field 230), so a drill can expect DCGM-side reactions.</summary>
    [JsonPropertyName("surfaces")]
    public IList<string>? Surfaces { get; init; }

    [JsonPropertyName("expect")]
    public IList<string>? Expect { get; init; }

    [JsonPropertyName("timeout_seconds")]
    public double? TimeoutSeconds { get; set; }
}
