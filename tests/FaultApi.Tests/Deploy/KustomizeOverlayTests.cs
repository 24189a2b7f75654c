using System.Text.RegularExpressions;
using System.Xml.Linq;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace FaultApi.Tests.Deploy;

/// <summary>
/// deploy/ is a base plus overlays, each an install (<c>kubectl apply -k deploy/overlays/&lt;name&gt;</c>); what each overlay
/// adds to the base, on its <c>kubectl kustomize</c> rendering. (Every overlay also passes every manifest and security
/// check: <see cref="ManifestTests"/>, <see cref="SecurityManifestTests"/>.)
/// </summary>
public sealed partial class KustomizeOverlayTests
{
    [Fact]
    public void Overlays_AreTheFourInstalls_EachRendersTheWholeBase()
    {
        Assert.Equal(["canary", "default", "gpu-operator", "prometheus-operator"], DeployManifests.Overlays);
        var baseKinds = Kinds(DeployManifests.Load("default"));
        foreach (var overlay in DeployManifests.Overlays)
        {
            Assert.Subset(Kinds(DeployManifests.Load(overlay)), baseKinds);
        }
    }

    [Fact]
    public void GpuOperatorOverlay_Agent_RunsNvidiaSmiChrootedIntoTheDriverRoot_ProcAndKmsgUnchanged()
    {
        var plain = DeployManifests.Load("default");
        var operatorInstall = DeployManifests.Load("gpu-operator");
        var env = operatorInstall.AgentContainer.Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);

        Assert.Equal("/run/nvidia/driver", env["Agent__Tools__DriverRoot"]);
        Assert.Equal("/usr/bin/nvidia-smi", env["Agent__Tools__NvidiaSmiPath"]); // the path inside the driver root
        Assert.Equal("/run/nvidia/driver/usr/bin/nvidia-bug-report.sh", env["Agent__Tools__NvidiaBugReportPath"]); // the host's path
        Assert.DoesNotContain(plain.AgentContainer.Env, e => e.Name.StartsWith("Agent__Tools__", StringComparison.Ordinal));
        // The kernel module is the host's: GPU discovery reads the host's /proc as without the Operator.
        Assert.Equal(
            plain.AgentDaemonSet.Spec.Template.Spec.Volumes.Single(v => v.Name == "host-proc").HostPath.Path,
            operatorInstall.AgentDaemonSet.Spec.Template.Spec.Volumes.Single(v => v.Name == "host-proc").HostPath.Path);
    }

    [Fact]
    public void PrometheusOperatorOverlay_AddsTheServiceMonitorPodMonitorAndCanaryAlerts_OtherOverlaysDoNot()
    {
        Assert.Equal(["PodMonitor", "PrometheusRule", "ServiceMonitor"], DeployManifests.Load("prometheus-operator").CustomResources.Select(Kind).Order(StringComparer.Ordinal));
        Assert.All(DeployManifests.Overlays.Where(o => o != "prometheus-operator"), o => Assert.Empty(DeployManifests.Load(o).CustomResources));
    }

    [Fact]
    public void CanaryOverlay_CronJob_RunsFaultctlSuiteRunOnTheSuiteConfigMapAgainstTheApiService()
    {
        var canary = DeployManifests.Load("canary");
        var cronJob = Assert.Single(canary.All<V1CronJob>());
        var pod = cronJob.Spec.JobTemplate.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var args = container.Args.ToList();

        Assert.Equal("Forbid", cronJob.Spec.ConcurrencyPolicy);
        Assert.Equal(0, cronJob.Spec.JobTemplate.Spec.BackoffLimit);
        Assert.Equal(["suite", "run", "-f"], args.Take(3));
        var suitePath = args[3];
        var junitIndex = args.IndexOf("--junit");
        Assert.True(junitIndex > 3, "the suite run writes a JUnit report");

        // The suite file is the generated ConfigMap's key, mounted where the command reads it.
        var suiteMount = container.VolumeMounts.Single(m => suitePath.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        var suiteVolume = pod.Volumes.Single(v => v.Name == suiteMount.Name);
        var configMap = canary.Named<V1ConfigMap>(suiteVolume.ConfigMap.Name);
        Assert.StartsWith("fault-injection-canary-suite-", configMap.Metadata.Name, StringComparison.Ordinal); // rolled with its content
        var suiteText = configMap.Data[Path.GetFileName(suitePath)];
        Assert.Equal(File.ReadAllText(Path.Combine(DeployManifests.Directory, "overlays", "canary", "suite.yaml")), suiteText);
        var suite = new YamlStream();
        suite.Load(new StringReader(suiteText));
        var drills = (YamlSequenceNode)((YamlMappingNode)suite.Documents[0].RootNode).Children[new YamlScalarNode("drills")];
        Assert.NotEmpty(drills.Children);

        // The JUnit report goes to a writable volume (the root filesystem is read-only).
        var junitPath = args[junitIndex + 1];
        var reports = container.VolumeMounts.Single(m => junitPath.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        Assert.NotNull(pod.Volumes.Single(v => v.Name == reports.Name).EmptyDir);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);

        // FAULT_INJECTION_API is the API's Service in its namespace, on the Service's port; the token from a Secret.
        var service = canary.Named<V1Service>("fault-injection-api");
        var api = new Uri(container.Env.Single(e => e.Name == "FAULT_INJECTION_API").Value);
        Assert.Equal($"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc", api.Host);
        Assert.Contains(service.Spec.Ports, p => p.Port == api.Port);
        Assert.NotNull(container.Env.Single(e => e.Name == "FAULT_INJECTION_TOKEN").ValueFrom.SecretKeyRef);
    }

    [Fact]
    public void CanaryImage_IsWhatTheFaultctlDockerfileBuilds_AtTheProductVersion()
    {
        var container = DeployManifests.Load("canary").All<V1CronJob>().Single().Spec.JobTemplate.Spec.Template.Spec.Containers.Single();
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "FaultCtl", "Dockerfile"));
        var version = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Build.props")).Descendants("Version").First().Value;
        var project = XDocument.Load(Path.Combine(RepositoryRoot.Path, "src", "FaultCtl", "FaultCtl.csproj"));

        Assert.Equal(DockerBuildTag().Match(dockerfile).Groups["tag"].Value, container.Image);
        Assert.EndsWith($":{version}", container.Image, StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project.Descendants("AssemblyName").Single().Value}.dll\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/FaultCtl/FaultCtl.csproj --configuration Release --output /app", dockerfile, StringComparison.Ordinal);
        Assert.Contains("dotnet publish \"src/$project/$project.csproj\"", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "scripts", "test.sh")), StringComparison.Ordinal);
        Assert.Contains("FaultCtl", Regex.Match(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "scripts", "test.sh")), @"for project in ([^;]*);").Groups[1].Value, StringComparison.Ordinal);
    }

    private static HashSet<string> Kinds(DeployManifests manifests) =>
        [.. manifests.Resources.Select(r => r.Resource).OfType<k8s.IKubernetesObject<V1ObjectMeta>>().Select(r => $"{r.Kind}/{r.Metadata.Name}")];

    private static string Kind(YamlMappingNode node) => ((YamlScalarNode)node.Children[new YamlScalarNode("kind")]).Value!;

    [GeneratedRegex(@"docker build -f src/FaultCtl/Dockerfile -t (?<tag>\S+) \.")]
    private static partial Regex DockerBuildTag();
}
