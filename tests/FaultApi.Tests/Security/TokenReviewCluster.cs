using System.Globalization;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;

namespace FaultApi.Tests.Security;

/// <summary>
/// Kubernetes mode as real processes: the fake Kubernetes API server (pods, nodes, ConfigMaps, TokenReviews), one REAL
/// agent with <c>Agent:AuthMode=TokenReview</c> (its own kubeconfig and ServiceAccount token, allowed to create
/// TokenReviews; no token file at all), and the REAL API process routing through the pod list and presenting its
/// projected, audience-bound ServiceAccount token (<see cref="ProjectedTokenFile"/>) to the agent.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
public sealed class TokenReviewCluster : IAsyncLifetime, IRootFixture
{
    public const string Namespace = "fault-injection-system";
    public const string ApiServiceAccount = "fault-injection-api";
    public const string Audience = "fault-injection-agent";
    public const string NodeName = "gpu-node-tr";
    public const string CallerToken = "token-review-caller-0123456789ab";

    private readonly TestDirectory _directory = new();
    private TargetNamespaceProcess? _target;

    public FakeKubeApiServer Kube { get; private set; } = null!;

    public RealAgentProcess Agent { get; private set; } = null!;

    public FaultApiProcess Api { get; private set; } = null!;

    /// <summary>The agent's own ServiceAccount token (its credential for TokenReviews).</summary>
    public string AgentOwnToken { get; private set; } = "";

    public ProjectedTokenFile ApiProjectedToken { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Kube = await FakeKubeApiServer.StartAsync();
        AgentOwnToken = Kube.IssueServiceAccountToken(Namespace, "gpu-fault-injector-kernel");
        Kube.AllowTokenReviews(AgentOwnToken);
        ApiProjectedToken = new ProjectedTokenFile(_directory.Combine("api-agent-credential"), Kube.IssueServiceAccountToken(Namespace, ApiServiceAccount, Audience));

        _target = new TargetNamespaceProcess();
        var address = LoopbackAddresses.Allocate(1)[0];
        var port = LoopbackAddresses.FreePort(address);
        var state = Directory.CreateDirectory(_directory.Combine("state")).FullName;
        Agent = await RealAgentProcess.StartAsync(
            NodeName,
            address,
            port,
            Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"),
            _target.Pid,
            state,
            _directory.Combine("no-token-file-in-token-review-mode"),
            new Dictionary<string, string>
            {
                ["Agent:AuthMode"] = "TokenReview",
                ["Agent:TokenReview:Kubeconfig"] = Kube.WriteKubeconfig(_directory.Path, AgentOwnToken, "agent-kubeconfig"),
                ["Agent:TokenReview:AllowedServiceAccounts:0"] = $"{Namespace}/{ApiServiceAccount}",
                ["Agent:TokenReview:CacheDuration"] = "00:05:00",
            });
        Kube.Upsert(FakeKubeApiServer.Node(NodeName));
        Kube.Upsert(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-tr001", NodeName, address.ToString()));

        var callerTokens = _directory.Combine("caller-tokens");
        await File.WriteAllTextAsync(callerTokens, $"sre:{CallerToken}\n");
        Api = await FaultApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Routing:Mode"] = "Kubernetes",
            ["Routing:Kubeconfig"] = Kube.WriteKubeconfig(_directory.Path),
            ["Routing:AgentGrpcPort"] = port.ToString(CultureInfo.InvariantCulture),
            ["Auth:TokenFile"] = callerTokens,
            ["Agents:TokenFile"] = ApiProjectedToken.Path,
            ["Stop:ReconcileIntervalSeconds"] = "3600",
        });
        using var http = ApiClient();
        await Eventually.TrueAsync(
            async () => (await http.GetStringAsync(new Uri("/api/v1/nodes", UriKind.Relative))).Contains(NodeName, StringComparison.Ordinal),
            "the agent pod in the API's routing cache");
    }

    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        if (Kube is not null)
        {
            await Kube.DisposeAsync();
        }

        _target?.Dispose();
        _directory.Dispose();
    }

    /// <summary>A client of the API with the caller token.</summary>
    public HttpClient ApiClient() => Api.CreateClient(CallerToken);

    /// <summary>A gRPC client of the agent, straight (as root on a node, or another pod, would call it).</summary>
    public (GrpcChannel Channel, AgentClient Client) AgentGrpc()
    {
        var channel = GrpcChannel.ForAddress(Agent.GrpcAddress);
        return (channel, new AgentClient(channel));
    }

    public static CallOptions Bearer(string token) => new(new Metadata { { "authorization", $"Bearer {token}" } }, DateTime.UtcNow.AddSeconds(30));
}
