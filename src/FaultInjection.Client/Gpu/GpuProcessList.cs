using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Gpu;

/// <summary>GPU processes of every node or one (<c>GET /api/v1/gpu/processes</c>); <see cref="Pmon"/> only when asked.</summary>
public sealed class GpuProcessList
{
    public IReadOnlyList<GpuProcess> Processes { get; init; } = [];

    public int Count { get; init; }

    public IReadOnlyList<PmonSample>? Pmon { get; init; }

    public IReadOnlyList<string> Nodes { get; init; } = [];

    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
