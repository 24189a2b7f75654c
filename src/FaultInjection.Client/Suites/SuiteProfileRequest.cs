using System.Text.Json;

namespace FaultInjection.Client.Suites;

/// <summary>
/// <c>from_profile</c> of a <see cref="SuiteRequest"/>: one drill per Xid of an expectation profile whose bucket has
/// expectations (or of <see cref="Xids"/>), each on <see cref="Count"/> nodes matching <see cref="NodeSelector"/>.
/// </summary>
public sealed class SuiteProfileRequest
{
    /// <summary>A profile the API ships, by name (e.g. <c>nvsentinel</c>); or give <see cref="Profile"/>.</summary>
    public string? ProfileName { get; set; }

    /// <summary>An inline profile (the profile file format: buckets with their expectations, Xids with their bucket).</summary>
    public JsonElement? Profile { get; set; }

    /// <summary>The node pool (a Kubernetes label selector).</summary>
    public string? NodeSelector { get; set; }

    /// <summary>How many matching nodes each Xid's drill runs on (default 1).</summary>
    public int? Count { get; set; }

    /// <summary>The GPU (default 0).</summary>
    public int? GpuId { get; set; }

    /// <summary>Only these Xids of the profile.</summary>
    public IList<int>? Xids { get; init; }

    /// <summary>Overrides the buckets' timeouts.</summary>
    public double? TimeoutSeconds { get; set; }
}
