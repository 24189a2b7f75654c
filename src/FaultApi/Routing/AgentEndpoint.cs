namespace FaultApi.Routing;

/// <summary>The agent serving one GPU node: where to call it, and the node's labels.</summary>
/// <param name="NodeName">The Kubernetes node name.</param>
/// <param name="Address">The agent's gRPC address (pod IP and agent gRPC port, or the static address).</param>
/// <param name="PodName">The agent pod's name (<c>static</c> in static mode).</param>
/// <param name="NodeLabels">The node's labels, for node selectors.</param>
public sealed record AgentEndpoint(string NodeName, Uri Address, string PodName, IReadOnlyDictionary<string, string> NodeLabels);
