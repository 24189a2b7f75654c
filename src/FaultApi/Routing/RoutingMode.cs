namespace FaultApi.Routing;

/// <summary>Where the API learns which agent serves which node.</summary>
public enum RoutingMode
{
    /// <summary>Agent pods of the DaemonSet, watched through the Kubernetes API.</summary>
    Kubernetes,

    /// <summary>A fixed map of node name to agent address from settings (no cluster).</summary>
    Static,
}
