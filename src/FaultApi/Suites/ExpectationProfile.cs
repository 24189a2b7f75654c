using System.Text.Json.Serialization;

namespace FaultApi.Suites;

/// <summary>
/// An expectation profile: what a monitor promises for each Xid. <c>xids</c> maps an Xid (as a string key) to a
/// resolution bucket; <c>buckets</c> maps each bucket to the expectations a drill of that bucket checks (an empty list:
/// nothing to observe on the node, such Xids are not drilled). Shipped profiles live in <c>profiles/</c>; a suite may
/// also carry one inline.
/// </summary>
public sealed class ExpectationProfile
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>Where the mapping comes from (free text: repository, commit, path).</summary>
    [JsonPropertyName("source")]
    public string? Source { get; set; }

    [JsonPropertyName("buckets")]
    public IDictionary<string, ProfileBucket?>? Buckets { get; init; }

    [JsonPropertyName("xids")]
    public IDictionary<string, string?>? Xids { get; init; }
}
