using FaultApi.Agents;

namespace FaultApi.Gpu;

/// <summary>
/// <c>GET /api/v1/gpu/processes</c>: every compute process of every node that answered (each names its node and GPU),
/// the pmon samples when asked (<c>pmon=true</c>), and the nodes that did not answer.
/// </summary>
public sealed record GpuProcessListResource(
    IReadOnlyList<GpuProcessResource> Processes,
    int Count,
    IReadOnlyList<PmonSampleResource>? Pmon,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<NodeError> Errors);
