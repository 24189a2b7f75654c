using System.Text.Json.Serialization;

namespace FaultApi.Suites;

/// <summary>One resolution bucket of an <see cref="ExpectationProfile"/>: the expectations of its drills, their timeout, and a note saying why.</summary>
public sealed class ProfileBucket
{
    [JsonPropertyName("expect")]
    public IList<string>? Expect { get; init; }

    [JsonPropertyName("timeout_seconds")]
    public double? TimeoutSeconds { get; set; }

    [JsonPropertyName("note")]
    public string? Note { get; set; }
}
