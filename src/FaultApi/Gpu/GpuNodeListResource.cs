using FaultApi.Agents;

namespace FaultApi.Gpu;

/// <summary><c>GET /api/v1/gpu/nodes</c>: every node whose agent answered, and the nodes that did not (<c>errors</c>).</summary>
public sealed record GpuNodeListResource(IReadOnlyList<GpuNodeResource> Nodes, int NodeCount, int GpuCount, IReadOnlyList<NodeError> Errors);
