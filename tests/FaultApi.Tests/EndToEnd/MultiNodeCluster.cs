using System.Globalization;
using System.Net.Http.Headers;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// Three simulated GPU nodes, each in its own network namespace with its own address, GPUs, target mount namespace,
/// token, state directory and real agent process; the fake Kubernetes API server listing their agent pods; and the real
/// FaultApi process in the root namespace routing through it. Everything is torn down on dispose, also after a failed
/// start, and leftovers of earlier crashed runs are removed first.
/// </summary>
public sealed class MultiNodeCluster : IAsyncLifetime, IDisposable, IRootFixture
{
    public const int NodeCount = 3;
    public const string CallerToken = "e2e-caller-token-0123456789abcdef";
    private const string AgentToken = "e2e-agent-token-0123456789abcdef";

    private readonly TestDirectory _directory = new();
    private readonly List<SimulatedNode> _nodes = [];
    private FakeKubeApiServer? _kube;
    private FaultApiProcess? _api;

    /// <summary>A marker unique to this run, to find its lines in the kernel log.</summary>
    public string RunId { get; } = $"e2e{Guid.NewGuid():N}"[..16];

    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    public FaultApiProcess Api => _api ?? throw new InvalidOperationException("The cluster is not started.");

    public async Task InitializeAsync()
    {
        try
        {
            await NodeNetworkNamespace.RemoveLeftoversAsync();
            var run = RandomRunName();
            var subnet = await NodeNetworkNamespace.FreeSubnetAsync();
            _kube = await FakeKubeApiServer.StartAsync();
            var started = Enumerable.Range(1, NodeCount).Select(i => SimulatedNode.CreateAsync(run, i, subnet, _directory.Path, AgentToken)).ToArray();
            try
            {
                await Task.WhenAll(started);
            }
            finally
            {
                _nodes.AddRange(started.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            }

            for (var i = 0; i < _nodes.Count; i++)
            {
                var node = _nodes[i];
                _kube.Upsert(FakeKubeApiServer.Node(node.Name));
                _kube.Upsert(FakeKubeApiServer.AgentPod(string.Create(CultureInfo.InvariantCulture, $"gpu-fault-injector-kernel-{run}{i}"), node.Name, node.Network.NodeAddress.ToString()));
            }

            var callerTokens = _directory.Combine("caller-tokens");
            var agentToken = _directory.Combine("agent-token");
            await File.WriteAllTextAsync(callerTokens, $"e2e:{CallerToken}\n");
            await File.WriteAllTextAsync(agentToken, $"{AgentToken}\n");
            _api = await FaultApiProcess.StartAsync(new Dictionary<string, string>
            {
                ["Routing:Mode"] = "Kubernetes",
                ["Routing:Kubeconfig"] = _kube.WriteKubeconfig(_directory.Path),
                ["Routing:Namespace"] = "fault-injection-system",
                ["Routing:AgentLabelSelector"] = "app=gpu-fault-injector-kernel",
                ["Routing:AgentGrpcPort"] = NamespacedAgentProcess.GrpcPort.ToString(CultureInfo.InvariantCulture),
                ["Auth:TokenFile"] = callerTokens,
                ["Agents:TokenFile"] = agentToken,
                ["Agents:CallTimeoutSeconds"] = "5",
            });
            using var client = CreateClient();
            await Eventually.TrueAsync(
                async () =>
                {
                    using var response = await client.GetAsync(new Uri("/api/v1/nodes", UriKind.Relative));
                    var text = await response.Content.ReadAsStringAsync();
                    return response.IsSuccessStatusCode && _nodes.All(n => text.Contains($"\"{n.Name}\"", StringComparison.Ordinal));
                },
                "the API to route to every node",
                TimeSpan.FromSeconds(30));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A plain client of the API with the caller's bearer token (keep-alive, like curl in a loop).</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = Api.Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CallerToken);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
            _api = null;
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _nodes.Clear();
        if (_kube is not null)
        {
            await _kube.DisposeAsync();
            _kube = null;
        }

        _directory.Dispose();
    }

    public void Dispose() => _directory.Dispose();

    private static string RandomRunName() => Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..4];
}
