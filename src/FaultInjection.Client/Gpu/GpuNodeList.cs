using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Gpu;

/// <summary>Every node's GPUs (<c>GET /api/v1/gpu/nodes</c>); nodes that did not answer are in <see cref="Errors"/>.</summary>
public sealed class GpuNodeList
{
    public IReadOnlyList<GpuNode> Nodes { get; init; } = [];

    public int NodeCount { get; init; }

    public int GpuCount { get; init; }

    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
