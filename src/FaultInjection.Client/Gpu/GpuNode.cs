namespace FaultInjection.Client.Gpu;

/// <summary>One node's GPUs with their metrics (<c>GET /api/v1/gpu/nodes/{node}</c>).</summary>
public sealed class GpuNode
{
    public string NodeName { get; init; } = "";

    public DateTimeOffset? CollectedAt { get; init; }

    public string DriverVersion { get; init; } = "";

    public bool Cached { get; init; }

    public int GpuCount { get; init; }

    public IReadOnlyList<GpuMetrics> Gpus { get; init; } = [];
}
