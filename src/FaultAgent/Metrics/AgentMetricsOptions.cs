namespace FaultAgent.Metrics;

/// <summary>
/// <c>Agent:Metrics</c>: whether the agent aggregates its meters and serves them at <c>/metrics</c>
/// (<see cref="AgentMetricsExporter"/>). On by default; <c>benchmarks/AgentFarm</c> turns it off for every app but the
/// first (<c>--Agent:Metrics:Enabled=false</c>): each exporter's listener is told of every instrument the process
/// publishes, so N exporters in one process make each app's start cost N (BENCHMARKS.md, Method, fan-out).
/// </summary>
public sealed class AgentMetricsOptions
{
    public const string SectionName = "Agent:Metrics";

    /// <summary>False: no meter listener, and <c>/metrics</c> answers 404.</summary>
    public bool Enabled { get; set; } = true;
}
