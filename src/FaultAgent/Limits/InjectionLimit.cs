namespace FaultAgent.Limits;

/// <summary>Which of the node's limits refused an injection.</summary>
public enum InjectionLimit
{
    /// <summary>The per-node token bucket is empty (<c>Agent:Limits:InjectionsPerSecond</c>, <c>InjectionBurst</c>).</summary>
    Rate,
    /// <summary>The node holds <c>Agent:Limits:MaxActiveFaults</c> open faults.</summary>
    ActiveFaults,
}
