using System.Text.Json.Serialization;

namespace FaultApi.Suites;

/// <summary>
/// <c>from_profile</c> of a suite body: one drill per Xid of a profile whose bucket has expectations (or of the
/// <c>xids</c> listed), each on <c>count</c> nodes matching <c>node_selector</c>, so a monitor's whole mapping is proven
/// in one call. The profile is a shipped one by name (<c>profile_name</c>) or given inline (<c>profile</c>).
/// </summary>
public sealed class SuiteProfileBody
{
    [JsonPropertyName("profile_name")]
    public string? ProfileName { get; set; }

    [JsonPropertyName("profile")]
    public ExpectationProfile? Profile { get; set; }

    [JsonPropertyName("node_selector")]
    public string? NodeSelector { get; set; }

    [JsonPropertyName("count")]
    public int? Count { get; set; }

    [JsonPropertyName("gpu_id")]
    public int? GpuId { get; set; }

    /// <summary>Only these Xids of the profile (each must be in it and drillable).</summary>
    [JsonPropertyName("xids")]
    public IList<int>? Xids { get; init; }

    /// <summary>Overrides the buckets' timeouts.</summary>
    [JsonPropertyName("timeout_seconds")]
    public double? TimeoutSeconds { get; set; }
}
