using System.ComponentModel.DataAnnotations;

namespace FaultApi.EmergencyStop;

/// <summary>The <c>Stop</c> settings: where the cluster-wide emergency stop is kept and how often agents are reconciled.</summary>
public sealed class StopOptions
{
    public const string SectionName = "Stop";

    /// <summary>Static routing: the file holding the stop state (required in that mode; share it between replicas).</summary>
    public string? StateFile { get; set; }

    /// <summary>Kubernetes routing: the ConfigMap holding the stop state.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    public string ConfigMapName { get; set; } = "fault-injection-stop";

    /// <summary>Kubernetes routing: the ConfigMap's namespace; unset: <c>POD_NAMESPACE</c>, else <c>Routing:Namespace</c>.</summary>
    public string? Namespace { get; set; }

    /// <summary>How often the stop state is re-read and pushed to agents that do not hold it (new, restarted, or missed).</summary>
    [Range(1, 3600)]
    public int ReconcileIntervalSeconds { get; set; } = 10;
}
