using System.ComponentModel.DataAnnotations;

namespace FaultApi.Safety;

/// <summary>The <c>Safety</c> settings: the blast-radius guard.</summary>
public sealed class SafetyOptions
{
    public const string SectionName = "Safety";

    /// <summary>At most this many GPU nodes may have active faults at once; unset: no count limit.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxFaultedNodes { get; set; }

    /// <summary>At most this share (0–1] of the GPU nodes with an agent may have active faults at once.</summary>
    [Range(0.000001, 1.0)]
    public double MaxFaultedNodeFraction { get; set; } = 1.0;
}
