namespace FaultInjection.Client.Gpu;

/// <summary>One node's GPUs with their metrics (<c>GET /api/v1/gpu/nodes/{node}</c>).</summary>
public sealed class GpuNode
{
    /// <summary>The node.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>When nvidia-smi was read.</summary>
    public DateTimeOffset? CollectedAt { get; init; }

    /// <summary>The node's driver version.</summary>
    public string DriverVersion { get; init; } = "";

    /// <summary>True when the agent answered from its cache instead of running nvidia-smi.</summary>
    public bool Cached { get; init; }

    /// <summary>How many GPUs the node has.</summary>
    public int GpuCount { get; init; }

    /// <summary>Each GPU's metrics.</summary>
    public IReadOnlyList<GpuMetrics> Gpus { get; init; } = [];
}
