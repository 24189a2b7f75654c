using YamlDotNet.RepresentationModel;

namespace FaultApi.Tests.Deploy;

/// <summary>
/// The prometheus-operator overlay's ServiceMonitor and PodMonitor (the Prometheus Operator's CRDs, which KubernetesClient
/// has no types for), read from its rendering as plain YAML: their selectors, port names and paths agree with the
/// workloads they scrape.
/// </summary>
public sealed class PrometheusExampleTests
{
    private static readonly DeployManifests Manifests = DeployManifests.Load("prometheus-operator");

    [Fact]
    public void ServiceMonitor_SelectsTheApiServiceAndItsHttpPortAtMetrics()
    {
        var monitor = Document("ServiceMonitor");
        var service = Manifests.Named<k8s.Models.V1Service>("fault-injection-api");

        Assert.Equal(service.Spec.Selector["app"], Scalar(monitor, "spec", "selector", "matchLabels", "app"));
        var endpoint = (YamlMappingNode)((YamlSequenceNode)Node(monitor, "spec", "endpoints")).Children.Single();
        Assert.Contains(service.Spec.Ports, p => p.Name == Scalar(endpoint, "port"));
        Assert.Equal(Manifests.ApiDeployment.Spec.Template.Metadata.Annotations["prometheus.io/path"], Scalar(endpoint, "path"));
    }

    [Fact]
    public void PodMonitor_SelectsTheAgentPodsAndTheirMetricsPortAtMetrics()
    {
        var monitor = Document("PodMonitor");
        var template = Manifests.AgentDaemonSet.Spec.Template;

        Assert.Equal(template.Metadata.Labels["app"], Scalar(monitor, "spec", "selector", "matchLabels", "app"));
        var endpoint = (YamlMappingNode)((YamlSequenceNode)Node(monitor, "spec", "podMetricsEndpoints")).Children.Single();
        var port = Manifests.AgentContainer.Ports.Single(p => p.Name == Scalar(endpoint, "port"));
        Assert.Equal(template.Metadata.Annotations["prometheus.io/port"], port.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(template.Metadata.Annotations["prometheus.io/path"], Scalar(endpoint, "path"));
    }

    private static YamlMappingNode Document(string kind) => Manifests.Custom(kind);

    private static YamlNode Node(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static string? Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value;
}
