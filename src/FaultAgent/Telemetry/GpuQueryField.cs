namespace FaultAgent.Telemetry;

/// <summary>
/// One <c>--query-gpu</c> field and how its value sets the GPU's metrics (<see cref="Apply"/> returns the metrics with the
/// value in place). A required field the tool does not know is an error.
/// </summary>
public sealed record GpuQueryField(string Name, bool Required, Func<GpuMetrics, string, GpuMetrics> Apply);
