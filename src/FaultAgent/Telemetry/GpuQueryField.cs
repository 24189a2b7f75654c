using FaultInjection.Agent.V1;

namespace FaultAgent.Telemetry;

/// <summary>One <c>--query-gpu</c> field and where its value goes. A required field the tool does not know is an error.</summary>
public sealed record GpuQueryField(string Name, bool Required, Action<GpuMetrics, string> Apply);
