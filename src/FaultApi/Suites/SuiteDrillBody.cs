using System.Text.Json.Serialization;

namespace FaultApi.Suites;

/// <summary>
/// One drill of a suite: the fields of <c>POST /api/v1/drills</c>, with <c>node_selector</c> and <c>count</c> as the
/// alternative to <c>node_name</c> (the drill then runs on <c>count</c> matching nodes, one drill each), and a name.
/// </summary>
public sealed class SuiteDrillBody
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("node_name")]
    public string? NodeName { get; set; }

    [JsonPropertyName("node_selector")]
    public string? NodeSelector { get; set; }

    [JsonPropertyName("count")]
    public int? Count { get; set; }

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

    [JsonPropertyName("surfaces")]
    public IList<string>? Surfaces { get; init; }

    [JsonPropertyName("expect")]
    public IList<string>? Expect { get; init; }

    [JsonPropertyName("timeout_seconds")]
    public double? TimeoutSeconds { get; set; }
}
