using System.ComponentModel.DataAnnotations;

namespace FaultApi.BlastRadius;

/// <summary>
/// The blast-radius guard's settings and the record it keeps. Their section keeps the name deployments already set,
/// <c>Safety</c>, though the feature is named BlastRadius (in the agent, "safety" is the emergency stop).
/// </summary>
public sealed class BlastRadiusOptions
{
    public const string SectionName = "Safety";

    /// <summary>At most this many GPU nodes may have active faults at once; unset: no count limit.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxFaultedNodes { get; set; }

    /// <summary>At most this share (0–1] of the GPU nodes (every node with an agent pod, ready or not) may have active faults at once.</summary>
    [Range(0.000001, 1.0)]
    public double MaxFaultedNodeFraction { get; set; } = 1.0;

    /// <summary>Kubernetes routing: the ConfigMap (in the stop's namespace) recording faulted nodes and the targets of multi-node requests.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    public string ConfigMapName { get; set; } = "fault-injection-blast-radius";

    /// <summary>Static routing: the file recording them; unset: <c>Stop:StateFile</c> + <c>.blast-radius.json</c>.</summary>
    public string? LedgerFile { get; set; }

    /// <summary>How long the nodes a multi-node request picked are kept for its retries with the same Idempotency-Key.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan TargetRetention { get; set; } = TimeSpan.FromDays(1);
}
