namespace FaultInjection.Client.Drills;

/// <summary>The node just before the injection: what the expectations are measured against.</summary>
public sealed class DrillBaseline
{
    /// <summary>The node's boot id before the injection (a new one is the <c>reboot</c> step).</summary>
    public string BootId { get; init; } = "";

    /// <summary>Non-DaemonSet, unfinished pods on the node (<c>namespace/name</c>).</summary>
    public IReadOnlyList<string> Pods { get; init; } = [];

    /// <summary>The node's taint keys before the injection.</summary>
    public IReadOnlyList<string> Taints { get; init; } = [];

    /// <summary>Condition type → <c>status|reason|lastTransitionTime</c>.</summary>
    public IReadOnlyDictionary<string, string> Conditions { get; init; } = new Dictionary<string, string>();
}
