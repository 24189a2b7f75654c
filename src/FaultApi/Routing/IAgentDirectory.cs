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

    /// <summary>
    /// Calls <paramref name="onChanged"/> with every routable agent (as <see cref="GetAll"/>) now and after each change of
    /// the routing table, until the returned subscription is disposed: in the table's order, one call at a time, each
    /// with the table it follows (never an older one after a newer). The callback runs on the directory's update and must
    /// not throw or block. The static map calls it once.
    /// </summary>
    IDisposable WatchAgents(Action<IReadOnlyList<AgentEndpoint>> onChanged);
}
