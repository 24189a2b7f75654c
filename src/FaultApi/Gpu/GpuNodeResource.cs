namespace FaultApi.Gpu;

/// <summary>One node's GPUs with their metrics, as its agent's nvidia-smi saw them at <c>collected_at</c>.</summary>
public sealed record GpuNodeResource(
    string NodeName,
    DateTimeOffset? CollectedAt,
    string DriverVersion,
    bool Cached,
    int GpuCount,
    IReadOnlyList<GpuMetricsResource> Gpus);
