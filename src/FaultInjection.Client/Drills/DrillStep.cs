namespace FaultInjection.Client.Drills;

/// <summary>One step of a drill's timeline: <c>injected</c> or the expectation met, when the API saw it, and what it saw.</summary>
public sealed class DrillStep
{
    /// <summary><c>injected</c>, <c>condition:SysLogsXIDError</c>, <c>cordon</c>, <c>drain:training</c>, <c>reboot</c>, <c>recover</c>, ...</summary>
    public string Step { get; init; } = "";

    /// <summary>When the step was observed.</summary>
    public DateTimeOffset ObservedAt { get; init; }

    /// <summary>Seconds from the injection (t0) to this step.</summary>
    public double SecondsSinceInjection { get; init; }

    /// <summary>E.g. a condition's <c>reason</c>/<c>message</c>, a drain's <c>pods_evicted</c>, a reboot's <c>boot_id_before</c>/<c>boot_id</c>.</summary>
    public IReadOnlyDictionary<string, string> Evidence { get; init; } = new Dictionary<string, string>();
}
