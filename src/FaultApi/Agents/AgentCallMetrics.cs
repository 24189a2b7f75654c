using System.Diagnostics;
using System.Diagnostics.Metrics;
using FaultApi.Metrics;

namespace FaultApi.Agents;

/// <summary>
/// The agent calls' instrument on the API's meter: <c>fault_api.agent.call.duration</c> by node, operation (the agent's
/// gRPC method, e.g. <c>InjectXid</c>) and result (<c>OK</c> or the gRPC status).
/// </summary>
public sealed class AgentCallMetrics
{
    /// <summary>
    /// Bucket bounds in seconds: an injection answers in milliseconds, a telemetry read in tens to hundreds, a call that
    /// waits for its deadline in seconds (<c>Agents:CallTimeoutSeconds</c>, 15 by default). (OpenTelemetry's default
    /// bounds, 0, 5, 10 ... 10000, are for milliseconds.)
    /// </summary>
    public static readonly IReadOnlyList<double> Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];

    private readonly Histogram<double> _calls;

    public AgentCallMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _calls = meterFactory.Create(ApiMetrics.MeterName).CreateHistogram<double>(
            "fault_api.agent.call.duration",
            unit: "s",
            description: "gRPC calls to agents by node, operation (the agent's gRPC method) and result (OK or the gRPC status).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    public void Record(string nodeName, string operation, string result, TimeSpan elapsed) =>
        _calls.Record(elapsed.TotalSeconds, new TagList { { "node", nodeName }, { "operation", operation }, { "result", result } });
}
