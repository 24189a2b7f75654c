namespace FaultApi.Routing;

/// <summary>The <c>Routing:Static</c> settings: node name to agent gRPC address, and optional node labels.</summary>
public sealed class StaticRoutingOptions
{
    /// <summary><c>Routing:Static:Nodes:&lt;node-name&gt;</c> = agent gRPC address, e.g. <c>http://127.0.0.1:8084</c>.</summary>
    public Dictionary<string, string> Nodes { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>Routing:Static:Labels:&lt;node-name&gt;:&lt;label&gt;</c> = value, for <c>node_selector</c> in static mode.</summary>
    public Dictionary<string, Dictionary<string, string>> Labels { get; set; } = new(StringComparer.Ordinal);
}
