using System.Text.Json.Serialization;
using FaultApi.Faults;

namespace FaultApi.Dcgm;

/// <summary>
/// Body of <c>POST /api/v1/faults/gpu/inject/dcgm-field</c>: one node (<c>node_name</c>) or <c>count</c> nodes matching
/// <c>node_selector</c>, the GPU (Device Minor), the DCGM field (id or dcgm_fields.h name) and its value.
/// </summary>
public sealed class InjectDcgmFieldBody : IInjectionTargetBody
{
    [JsonPropertyName("node_name")]
    public string? NodeName { get; set; }

    [JsonPropertyName("node_selector")]
    public string? NodeSelector { get; set; }

    [JsonPropertyName("count")]
    public int? Count { get; set; }

    [JsonPropertyName("gpu_id")]
    public int? GpuId { get; set; }

    /// <summary>The field: its id (<c>311</c> or <c>"311"</c>) or a name (<c>"DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"</c>).</summary>
    [JsonPropertyName("field")]
    [JsonConverter(typeof(DcgmFieldReferenceConverter))]
    public string? Field { get; set; }

    /// <summary>The value to set (an integer within the field's range; see <c>GET /api/v1/faults/gpu/dcgm-fields</c>).</summary>
    [JsonPropertyName("value")]
    public long? Value { get; set; }

    /// <summary>Seconds the fault counts as active; unset: until cleared.</summary>
    [JsonPropertyName("duration")]
    public double? Duration { get; set; }

    [JsonPropertyName("dry_run")]
    public bool DryRun { get; set; }

    [JsonPropertyName("fault_id")]
    public string? FaultId { get; set; }
}
