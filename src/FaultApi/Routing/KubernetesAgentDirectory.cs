using System.Collections.Frozen;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Routing;

/// <summary>
/// The agent pods of the DaemonSet and the cluster's nodes, kept by two list-then-watch informers. A node routes to
/// its Running and Ready agent pod (not being deleted, with an IP) at <c>http://podIP:AgentGrpcPort</c>; the newest
/// such pod wins during a rollout. Ready once both first lists landed.
/// </summary>
public sealed class KubernetesAgentDirectory : BackgroundService, IAgentDirectory
{
    private readonly PodInformer _pods;
    private readonly NodeInformer _nodes;
    private readonly RoutingOptions _options;
    private readonly ILogger<KubernetesAgentDirectory> _logger;
    private readonly Lock _rebuildGate = new();
    private readonly List<Action<IReadOnlyList<AgentEndpoint>>> _watchers = [];
    private volatile RoutingTable _table = RoutingTable.Empty;

    public KubernetesAgentDirectory(IKubernetes client, IOptions<RoutingOptions> options, TimeProvider timeProvider, ILogger<KubernetesAgentDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _pods = new PodInformer(client, _options, timeProvider, logger);
        _nodes = new NodeInformer(client, _options, timeProvider, logger);
        _pods.Changed += Rebuild;
        _nodes.Changed += Rebuild;
    }

    public bool IsReady => _table.Ready;

    /// <summary>Full lists done by the pod informer (first sync and every re-list after 410 Gone).</summary>
    internal int PodListCount => _pods.ListCount;

    public bool TryGetAgent(string nodeName, out AgentEndpoint agent) => _table.Agents.TryGetValue(nodeName, out agent!);

    public bool NodeExists(string nodeName) => _table.Nodes.Contains(nodeName) || _table.Agents.ContainsKey(nodeName);

    public IReadOnlyList<AgentEndpoint> GetAll() => _table.Ordered;

    public IReadOnlyCollection<string> AgentNodes => _table.AgentNodes;

    /// <summary>
    /// Under the rebuild lock, so a watcher sees the tables in the order they were built, each after the previous one was
    /// handed to it: the current agents at once, then the agents of every table built after (<see cref="Rebuild"/>).
    /// </summary>
    public IDisposable WatchAgents(Action<IReadOnlyList<AgentEndpoint>> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        lock (_rebuildGate)
        {
            _watchers.Add(onChanged);
            onChanged(_table.Ordered);
        }

        return new Watch(this, onChanged);
    }

    /// <summary>Pod and node watches restarted so far (a metric).</summary>
    public long WatchRestarts => _pods.WatchRestarts + _nodes.WatchRestarts;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_pods.RunAsync(stoppingToken), _nodes.RunAsync(stoppingToken));

    private void Rebuild()
    {
        lock (_rebuildGate)
        {
            var nodes = _nodes.Snapshot();
            var labelsByNode = nodes
                .Where(n => n.Metadata?.Name is not null)
                .ToDictionary(n => n.Metadata.Name, n => (IReadOnlyDictionary<string, string>)(n.Metadata.Labels?.ToDictionary(StringComparer.Ordinal) ?? []), StringComparer.Ordinal);
            var agents = new Dictionary<string, (AgentEndpoint Agent, DateTime Created)>(StringComparer.Ordinal);
            var agentNodes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pod in _pods.Snapshot())
            {
                if (pod.Spec?.NodeName is { Length: > 0 } scheduledOn)
                {
                    agentNodes.Add(scheduledOn);
                }

                if (!IsRoutable(pod, out var nodeName, out var podIp))
                {
                    continue;
                }

                var created = pod.Metadata.CreationTimestamp ?? DateTime.MinValue;
                if (agents.TryGetValue(nodeName, out var existing) && existing.Created > created)
                {
                    continue;
                }

                var address = new UriBuilder(Uri.UriSchemeHttp, podIp, _options.AgentGrpcPort).Uri;
                var labels = labelsByNode.TryGetValue(nodeName, out var l) ? l : new Dictionary<string, string>();
                agents[nodeName] = (new AgentEndpoint(nodeName, address, pod.Metadata.Name, labels), created);
            }

            var table = new RoutingTable(
                _pods.HasSynced && _nodes.HasSynced,
                agents.ToFrozenDictionary(a => a.Key, a => a.Value.Agent, StringComparer.Ordinal),
                labelsByNode.Keys.ToFrozenSet(StringComparer.Ordinal),
                [.. agents.Values.Select(a => a.Agent).OrderBy(a => a.NodeName, StringComparer.Ordinal)],
                agentNodes.ToFrozenSet(StringComparer.Ordinal));
            var previous = _table;
            _table = table;
            if (table.Ready && !previous.Ready)
            {
                RoutingLog.Synced(_logger, table.Agents.Count, table.Nodes.Count);
            }

            foreach (var watcher in _watchers)
            {
                watcher(table.Ordered);
            }
        }
    }

    private void Unwatch(Action<IReadOnlyList<AgentEndpoint>> onChanged)
    {
        lock (_rebuildGate)
        {
            _watchers.Remove(onChanged);
        }
    }

    private static bool IsRoutable(V1Pod pod, out string nodeName, out string podIp)
    {
        nodeName = pod.Spec?.NodeName ?? "";
        podIp = pod.Status?.PodIP ?? "";
        return nodeName.Length > 0
            && podIp.Length > 0
            && pod.Metadata?.DeletionTimestamp is null
            && string.Equals(pod.Status?.Phase, "Running", StringComparison.Ordinal)
            && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
    }

    private sealed class Watch(KubernetesAgentDirectory directory, Action<IReadOnlyList<AgentEndpoint>> onChanged) : IDisposable
    {
        public void Dispose() => directory.Unwatch(onChanged);
    }

    private sealed record RoutingTable(
        bool Ready,
        FrozenDictionary<string, AgentEndpoint> Agents,
        FrozenSet<string> Nodes,
        IReadOnlyList<AgentEndpoint> Ordered,
        FrozenSet<string> AgentNodes)
    {
        public static readonly RoutingTable Empty = new(
            false,
            FrozenDictionary<string, AgentEndpoint>.Empty,
            FrozenSet<string>.Empty,
            [],
            FrozenSet<string>.Empty);
    }
}
