namespace FaultApi.Drills;

/// <summary>The node as it was just before the injection: what the expectations are measured against.</summary>
public sealed class DrillBaseline
{
    public string BootId { get; set; } = "";

    /// <summary>Non-DaemonSet pods on the node that had not finished (<c>namespace/name</c>).</summary>
    public IList<string> Pods { get; init; } = [];

    /// <summary>Taint keys present.</summary>
    public IList<string> Taints { get; init; } = [];

    /// <summary>Condition type → <c>status|reason|lastTransitionTime</c>.</summary>
    public IDictionary<string, string> Conditions { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
