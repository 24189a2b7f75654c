namespace FaultApi.Routing;

/// <summary>Which agent serves which node: the API's view of the cluster (Kubernetes watch cache, or static settings).</summary>
public interface IAgentDirectory
{
    /// <summary>True once the first full sync is done (before that every lookup would be a guess).</summary>
    bool IsReady { get; }

    /// <summary>The routable (Running and Ready) agent on <paramref name="nodeName"/>.</summary>
    bool TryGetAgent(string nodeName, out AgentEndpoint agent);

    /// <summary>True when the cluster has a node with that name (with or without an agent).</summary>
    bool NodeExists(string nodeName);

    /// <summary>Every routable agent, ordered by node name.</summary>
    IReadOnlyList<AgentEndpoint> GetAll();

    /// <summary>
    /// Every node that has an agent pod, ready or not (the DaemonSet's nodes: the GPU nodes the blast-radius guard counts,
    /// including one whose agent is down or restarting); in static mode every configured node.
    /// </summary>
    IReadOnlyCollection<string> AgentNodes { get; }
}
