using FaultInjection.Client.Faults;

namespace FaultInjection.Client.Gpu;

/// <summary>GPU processes of every node or one (<c>GET /api/v1/gpu/processes</c>); <see cref="Pmon"/> only when asked.</summary>
public sealed class GpuProcessList
{
    /// <summary>The compute processes of every node asked.</summary>
    public IReadOnlyList<GpuProcess> Processes { get; init; } = [];

    /// <summary>How many processes this answer holds.</summary>
    public int Count { get; init; }

    /// <summary>One <c>nvidia-smi pmon</c> sample per process when asked for (<c>pmon</c>), else null.</summary>
    public IReadOnlyList<PmonSample>? Pmon { get; init; }

    /// <summary>The nodes whose agents answered.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>The nodes whose agents did not answer, and why.</summary>
    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
