using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Gpu;

/// <summary>Every node's GPUs (<c>GET /api/v1/gpu/nodes</c>); nodes that did not answer are in <see cref="Errors"/>.</summary>
public sealed class GpuNodeList
{
    /// <summary>Each node's telemetry.</summary>
    public IReadOnlyList<GpuNode> Nodes { get; init; } = [];

    /// <summary>How many nodes answered.</summary>
    public int NodeCount { get; init; }

    /// <summary>How many GPUs they hold.</summary>
    public int GpuCount { get; init; }

    /// <summary>The nodes whose agents did not answer, and why.</summary>
    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
