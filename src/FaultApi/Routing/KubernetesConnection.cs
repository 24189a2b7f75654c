using k8s;
using Microsoft.Extensions.Options;

namespace FaultApi.Routing;

/// <summary>
/// The Kubernetes API client, created on first use (<see cref="Client"/>): features that exist in both routing modes
/// (drills answer 501 in static mode, the emergency stop cancels drills) can take it at construction, and a static-mode
/// API never reads a kubeconfig. In a pod the service account; outside <c>Routing:Kubeconfig</c>, <c>KUBECONFIG</c> or
/// <c>~/.kube/config</c> (<see cref="Configuration"/>).
/// </summary>
public sealed class KubernetesConnection : IDisposable
{
    private readonly Lazy<IKubernetes> _client;
    private readonly bool _owned;

    public KubernetesConnection(IOptions<RoutingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = new Lazy<IKubernetes>(() => new Kubernetes(Configuration(options.Value)));
        _owned = true;
    }

    private KubernetesConnection(IKubernetes client)
    {
        _client = new Lazy<IKubernetes>(client);
        _owned = false;
    }

    /// <summary>The client (created now if this is the first use).</summary>
    public IKubernetes Client => _client.Value;

    /// <summary>A connection over a client someone else owns (and disposes).</summary>
    public static KubernetesConnection Over(IKubernetes client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new KubernetesConnection(client);
    }

    /// <summary>In a pod: the service account; outside: <c>Routing:Kubeconfig</c>, else <c>KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    public static KubernetesClientConfiguration Configuration(RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.Kubeconfig))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig);
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } path ? path : null);
    }

    public void Dispose()
    {
        if (_owned && _client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
