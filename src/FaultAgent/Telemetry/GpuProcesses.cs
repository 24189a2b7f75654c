namespace FaultAgent.Telemetry;

/// <summary>The node's compute processes per GPU and, when asked, one <c>pmon</c> sample (empty otherwise).</summary>
public sealed record GpuProcesses(string NodeName, DateTimeOffset CollectedAt, IReadOnlyList<GpuProcess> Processes, IReadOnlyList<PmonSample> Pmon);
