namespace FaultAgent.Telemetry;

/// <summary>The GPUs parsed from <c>--query-gpu</c> output, and the lines that were not GPU rows (error text, broken rows).</summary>
public sealed record GpuQueryResult(IReadOnlyList<GpuMetrics> Gpus, IReadOnlyList<string> SkippedLines);
