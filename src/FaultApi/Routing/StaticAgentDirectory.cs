using Microsoft.Extensions.Options;

namespace FaultApi.Routing;

/// <summary>The agents named in <c>Routing:Static:Nodes</c>: ready at once, never changes.</summary>
public sealed class StaticAgentDirectory : IAgentDirectory
{
    private readonly IReadOnlyList<AgentEndpoint> _agents;
    private readonly Dictionary<string, AgentEndpoint> _byNode;

    public StaticAgentDirectory(IOptions<RoutingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value.Static;
        _agents = settings.Nodes
            .OrderBy(n => n.Key, StringComparer.Ordinal)
            .Select(n => new AgentEndpoint(
                n.Key,
                new Uri(n.Value, UriKind.Absolute),
                "static",
                settings.Labels.TryGetValue(n.Key, out var labels) ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>()))
            .ToList();
        _byNode = _agents.ToDictionary(a => a.NodeName, StringComparer.Ordinal);
    }

    public bool IsReady => true;

    public bool TryGetAgent(string nodeName, out AgentEndpoint agent) => _byNode.TryGetValue(nodeName, out agent!);

    public bool NodeExists(string nodeName) => _byNode.ContainsKey(nodeName);

    public IReadOnlyList<AgentEndpoint> GetAll() => _agents;

    public IReadOnlyCollection<string> AgentNodes => _byNode.Keys;

    public IDisposable WatchAgents(Action<IReadOnlyList<AgentEndpoint>> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        onChanged(_agents);
        return NoSubscription.Instance;
    }

    private sealed class NoSubscription : IDisposable
    {
        public static readonly NoSubscription Instance = new();

        public void Dispose()
        {
        }
    }
}
