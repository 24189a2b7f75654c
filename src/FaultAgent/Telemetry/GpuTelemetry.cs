namespace FaultAgent.Telemetry;

/// <summary>Every GPU's metrics on this node at <see cref="CollectedAt"/>; <see cref="Cached"/> when served from the cache.</summary>
public sealed record GpuTelemetry(string NodeName, DateTimeOffset CollectedAt, string DriverVersion, IReadOnlyList<GpuMetrics> Gpus)
{
    public bool Cached { get; init; }
}
