using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FaultApi.Agents;
using FaultApi.Auth;
using FaultApi.BlastRadius;
using FaultApi.Routing;
using FaultApi.Tests.Infrastructure;
using Grpc.Health.V1;
using Grpc.Net.Client;
using k8s;
using k8s.Models;

namespace FaultApi.Tests.Deploy;

/// <summary>
/// The manifests of <c>deploy/</c> agree with the code: the API's routing defaults with the agent DaemonSet, the agent's
/// settings defaults with its mounts, every env name with a real setting, the probes with the real processes' routes and
/// Kestrel endpoints (checked against a running agent and API), and the cluster-facing rules (hostPID, GPU nodes, images,
/// capabilities, resources, RBAC). Run on the rendering of every overlay (one derived class each: <c>kubectl apply -k
/// deploy/overlays/&lt;name&gt;</c> is the install).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public abstract partial class ManifestTests(RealProductFixture product, string overlay) : IClassFixture<RealProductFixture>
{
    private const string ApiTokensSecret = "fault-injection-api-tokens";
    private DeployManifests Manifests { get; } = DeployManifests.Load(overlay);
    private static readonly AgentAssemblyOptions Agent = AgentAssemblyOptions.Instance;

    private static readonly string[] ManifestFiles = ["fault-injection-api.yaml", "gpu-fault-injector-kernel.yaml", "namespace.yaml"];

    private static readonly Dictionary<string, Type> ApiSections = new(StringComparer.Ordinal)
    {
        [RoutingOptions.SectionName] = typeof(RoutingOptions),
        [ApiAuthOptions.SectionName] = typeof(ApiAuthOptions),
        [AgentsOptions.SectionName] = typeof(AgentsOptions),
        [BlastRadiusOptions.SectionName] = typeof(BlastRadiusOptions),
        [FaultApi.EmergencyStop.StopOptions.SectionName] = typeof(FaultApi.EmergencyStop.StopOptions),
        [FaultApi.BugReports.BugReportApiOptions.SectionName] = typeof(FaultApi.BugReports.BugReportApiOptions),
        [FaultApi.Hosting.ApiHttpOptions.SectionName] = typeof(FaultApi.Hosting.ApiHttpOptions),
    };

    [RootFact]
    public void Load_EveryManifest_ParsesIntoTypedObjectsInTheNamespace()
    {
        var ns = Manifests.All<V1Namespace>().Single().Metadata.Name;

        Assert.Subset(Manifests.Texts.Keys.ToHashSet(), ManifestFiles.ToHashSet());
        Assert.Equal(new RoutingOptions().Namespace, ns);
        foreach (var (file, resource) in Manifests.Resources)
        {
            var meta = ((IKubernetesObject<V1ObjectMeta>)resource).Metadata;
            if (resource is not (V1Namespace or V1ClusterRole or V1ClusterRoleBinding))
            {
                Assert.True(meta.NamespaceProperty == ns, $"{file}: {meta.Name} is in '{meta.NamespaceProperty}', not {ns}");
            }
        }
    }

    [RootFact]
    public void AgentDaemonSet_MatchesTheApisDefaultLabelSelectorAndGrpcPort()
    {
        var routing = new RoutingOptions();
        var daemonSet = Manifests.AgentDaemonSet;
        Assert.True(LabelSelector.TryParse(routing.AgentLabelSelector, out var selector, out var error), error);

        Assert.True(selector.Matches(new Dictionary<string, string>(daemonSet.Spec.Template.Metadata.Labels)), $"{routing.AgentLabelSelector} does not select the agent pods");
        Assert.Equal(daemonSet.Spec.Selector.MatchLabels, daemonSet.Spec.Selector.MatchLabels.Where(l => daemonSet.Spec.Template.Metadata.Labels[l.Key] == l.Value));
        Assert.False(selector.Matches(new Dictionary<string, string>(Manifests.ApiDeployment.Spec.Template.Metadata.Labels)), "the selector also matches the API's pods");
        Assert.Equal(routing.AgentGrpcPort, Port(Manifests.AgentContainer, "grpc"));
        Assert.Equal(routing.AgentGrpcPort, EndpointPort(AgentAppSettings(), "Grpc"));
        Assert.Equal(routing.Namespace, daemonSet.Metadata.NamespaceProperty);
    }

    [RootFact]
    public void ApiDeployment_RoutingSettings_PointAtTheAgentDaemonSet()
    {
        var env = Env(Manifests.ApiContainer);
        var daemonSet = Manifests.AgentDaemonSet;
        Assert.True(LabelSelector.TryParse(env.GetValueOrDefault("Routing__AgentLabelSelector", new RoutingOptions().AgentLabelSelector), out var selector, out _));

        Assert.Equal(daemonSet.Metadata.NamespaceProperty, env.GetValueOrDefault("Routing__Namespace", new RoutingOptions().Namespace));
        Assert.True(selector.Matches(new Dictionary<string, string>(daemonSet.Spec.Template.Metadata.Labels)));
        Assert.Equal(Port(Manifests.AgentContainer, "grpc").ToString(CultureInfo.InvariantCulture), env.GetValueOrDefault("Routing__AgentGrpcPort", new RoutingOptions().AgentGrpcPort.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal("Kubernetes", env.GetValueOrDefault("Routing__Mode", "Kubernetes"));
    }

    [RootFact]
    public void AgentContainer_MountsTheHostPathsAndSecretTheSettingsDefaultsName()
    {
        var container = Manifests.AgentContainer;
        var pod = Manifests.AgentDaemonSet.Spec.Template.Spec;
        var procRoot = (string)Agent.Default("Agent", "ProcRoot")!;
        var stateDirectory = (string)Agent.Default("Agent", "StateDirectory")!;
        var tokenFile = (string)Agent.Default("Agent", "TokenFile")!;
        var env = Env(container);

        // The pod runs on the defaults: an env that re-states a setting must re-state its default.
        Assert.Equal(procRoot, env.GetValueOrDefault("Agent__ProcRoot", procRoot));
        Assert.Equal(stateDirectory, env.GetValueOrDefault("Agent__StateDirectory", stateDirectory));
        Assert.Equal(tokenFile, env.GetValueOrDefault("Agent__TokenFile", tokenFile));

        // ProcRoot: the host's /proc (GPU discovery), read only.
        var proc = Volume(pod, container, procRoot);
        Assert.Equal("/proc", proc.Volume.HostPath?.Path);
        Assert.True(proc.Mount.ReadOnlyProperty == true);

        // The boot id is one per kernel: the pod's own /proc gives the node's, so the default needs no mount or env.
        Assert.Equal("/proc/sys/kernel/random/boot_id", Agent.DefaultBootIdPath());
        Assert.False(env.ContainsKey("Agent__BootIdFile"));

        // StateDirectory: a host directory at the same path, so the bug-report tool (run in the host's mount namespace)
        // writes where the agent reads (Agent:BugReports:HostStateDirectory defaults to StateDirectory).
        var state = Volume(pod, container, stateDirectory);
        Assert.Equal(stateDirectory, state.Volume.HostPath?.Path);
        Assert.False(env.ContainsKey("Agent__BugReports__HostStateDirectory") && env["Agent__BugReports__HostStateDirectory"] != state.Volume.HostPath?.Path);

        // No token file in the cluster: the agent reviews the API's ServiceAccount token (SecurityManifestTests).
        Assert.False(env.ContainsKey("Agent__TokenFile"));
        Assert.Equal("TokenReview", env["Agent__AuthMode"]);
    }

    [RootFact]
    public void ApiContainer_CallerTokenFile_IsTheSecretsKeyTheCommentCreates()
    {
        var container = Manifests.ApiContainer;
        var pod = Manifests.ApiDeployment.Spec.Template.Spec;
        var callers = Env(container)["Auth__TokenFile"];

        var callerVolume = Volume(pod, container, Path.GetDirectoryName(callers)!);

        Assert.Equal(ApiTokensSecret, callerVolume.Volume.Secret?.SecretName);
        Assert.Contains(Path.GetFileName(callers), SecretKeysCreatedByComment(Manifests.Texts["fault-injection-api.yaml"], ApiTokensSecret));
        Assert.True(callerVolume.Mount.ReadOnlyProperty == true);
    }

    [RootFact]
    public void EnvNames_AreRealSettings_AndNodeNameComesFromTheDownwardApi()
    {
        var agentEnv = Manifests.AgentContainer.Env;
        var nodeName = Assert.Single(agentEnv, e => e.Name == "NODE_NAME");

        Assert.Equal("spec.nodeName", nodeName.ValueFrom?.FieldRef?.FieldPath);
        foreach (var variable in agentEnv.Where(e => e.Name != "NODE_NAME" && !IsKestrelEndpointSetting(e.Name)))
        {
            Assert.True(IsSetting(variable.Name, Agent.Sections), $"agent env {variable.Name} is not a setting of the agent");
        }

        foreach (var variable in Manifests.ApiContainer.Env ?? [])
        {
            if (variable.Name == "POD_NAMESPACE")
            {
                // Read by the emergency stop's ConfigMap store (Stop:Namespace's fallback): the pod's own namespace.
                Assert.Equal("metadata.namespace", variable.ValueFrom?.FieldRef?.FieldPath);
                continue;
            }

            Assert.True(IsSetting(variable.Name, ApiSections), $"API env {variable.Name} is not a setting of the API");
        }
    }

    [RootFact]
    public async Task AgentProbes_HitTheRealAgentsRoutesOnItsKestrelEndpoints()
    {
        var container = Manifests.AgentContainer;
        var settings = AgentAppSettings();
        var probes = new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe }.Where(p => p is not null).ToList();
        Assert.NotEmpty(probes);

        foreach (var probe in probes)
        {
            if (probe.HttpGet is { } http)
            {
                Assert.Equal(EndpointPort(settings, "Http"), ResolvePort(container, http.Port));
                using var client = new HttpClient { BaseAddress = product.Agent.HttpAddress };
                using var response = await client.GetAsync(new Uri(http.Path, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"agent probe GET {http.Path} answered {(int)response.StatusCode}");
            }
            else if (probe.Grpc is { } grpc)
            {
                // On the Control endpoint (the probes and the emergency stop, with connection room of their own).
                var control = new Uri(Env(container)["Kestrel__Endpoints__Control__Url"].Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
                Assert.Equal(control, grpc.Port);
                Assert.Equal(control, Port(container, "control"));
                using var channel = GrpcChannel.ForAddress(product.AgentControlAddress);
                var answer = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = grpc.Service ?? "" });
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
            }
            else
            {
                Assert.Fail("an agent probe is neither httpGet nor grpc");
            }
        }
    }

    [RootFact]
    public async Task ApiProbes_HitTheRealApisRoutesOnItsListenPort()
    {
        var container = Manifests.ApiContainer;
        using var settings = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "src", "FaultApi", "appsettings.json")));
        var listenPort = new Uri(settings.RootElement.GetProperty("Urls").GetString()!).Port;
        var urlsArgument = container.Args?.SkipWhile(a => a != "--urls").Skip(1).FirstOrDefault();
        var probes = new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe }.Where(p => p is not null).ToList();
        using var client = new HttpClient { BaseAddress = product.ApiAddress };

        var urlPorts = urlsArgument is null ? [listenPort] : urlsArgument.Split(';').Select(u => new Uri(u.Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port).ToList();
        var controlPort = int.Parse(Env(container)["Http__ControlPort"], CultureInfo.InvariantCulture);

        Assert.NotEmpty(probes);
        Assert.Equal(listenPort, urlPorts[0]);
        Assert.Equal([listenPort, controlPort], urlPorts);
        Assert.Equal(controlPort, Port(container, "control"));
        foreach (var probe in probes)
        {
            // On the control port (Http:ControlPort), which serves the probes' routes as the main port does (ApiConnectionCapTests).
            var http = probe.HttpGet ?? throw new InvalidOperationException("API probes are httpGet");
            Assert.Equal(controlPort, ResolvePort(container, http.Port));
            Assert.True(FaultApi.Hosting.ControlPortMiddleware.Serves(http.Path), $"the control port does not serve {http.Path}");
            using var response = await client.GetAsync(new Uri(http.Path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"API probe GET {http.Path} answered {(int)response.StatusCode}");
        }

        var service = Manifests.Named<V1Service>("fault-injection-api");
        Assert.Equal(listenPort, ResolvePort(container, service.Spec.Ports.Single(p => p.Name == "http").TargetPort));
        Assert.Equal(controlPort, ResolvePort(container, service.Spec.Ports.Single(p => p.Name == "control").TargetPort));
        Assert.All(service.Spec.Selector, l => Assert.Equal(l.Value, Manifests.ApiDeployment.Spec.Template.Metadata.Labels[l.Key]));
    }

    [RootFact]
    public async Task ScrapeAnnotations_PointAtRoutesTheProcessesServe()
    {
        var workloads = new (V1PodTemplateSpec Template, V1Container Container, Uri Address)[]
        {
            (Manifests.AgentDaemonSet.Spec.Template, Manifests.AgentContainer, product.Agent.HttpAddress),
            (Manifests.ApiDeployment.Spec.Template, Manifests.ApiContainer, product.ApiAddress),
        };
        foreach (var (template, container, address) in workloads)
        {
            var annotations = template.Metadata.Annotations ?? new Dictionary<string, string>();
            if (!annotations.TryGetValue("prometheus.io/path", out var path))
            {
                continue;
            }

            using var client = new HttpClient { BaseAddress = address };
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{container.Name}: prometheus.io/path {path} answered {(int)response.StatusCode}");
            Assert.Contains(container.Ports, p => p.ContainerPort.ToString(CultureInfo.InvariantCulture) == annotations["prometheus.io/port"]);
        }
    }

    [RootFact]
    public void AgentPod_IsHostPid_OnGpuNodesOnly_ToleratingTheGpuTaint()
    {
        var pod = Manifests.AgentDaemonSet.Spec.Template.Spec;

        Assert.True(pod.HostPID, "the agent enters PID 1's namespaces (Agent:TargetPid=1)");
        Assert.Equal(1, (int)Agent.Default("Agent", "TargetPid")!);
        Assert.Equal("true", pod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.OperatorProperty == "Exists" && (t.Effect is null or "NoSchedule"));
        Assert.True(pod.AutomountServiceAccountToken ?? true, "the agent creates TokenReviews with its own ServiceAccount token");
    }

    [RootFact]
    public void Images_AreTaggedAndNeverLatest()
    {
        foreach (var container in Manifests.PodSpecs.SelectMany(p => p.Containers.Concat(p.InitContainers ?? [])))
        {
            var image = container.Image;
            var name = image.Split('@')[0];
            var lastSegment = name[(name.LastIndexOf('/') + 1)..];
            Assert.True(image.Contains('@', StringComparison.Ordinal) || lastSegment.Contains(':', StringComparison.Ordinal), $"{container.Name}: image {image} has no tag");
            Assert.False(lastSegment.EndsWith(":latest", StringComparison.Ordinal), $"{container.Name}: image {image} is :latest");
        }
    }

    [RootFact]
    public void Capabilities_EachAddedOne_HasACommentLineNamingIt()
    {
        foreach (var (file, text) in Manifests.Texts)
        {
            var comments = text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('#')).ToList();
            var added = Manifests.Resources.Where(r => r.File == file).Select(r => r.Resource)
                .SelectMany(r => r switch
                {
                    V1DaemonSet d => d.Spec.Template.Spec.Containers,
                    V1Deployment d => d.Spec.Template.Spec.Containers,
                    V1CronJob c => c.Spec.JobTemplate.Spec.Template.Spec.Containers,
                    _ => [],
                })
                .SelectMany(c => c.SecurityContext?.Capabilities?.Add ?? []);
            foreach (var capability in added)
            {
                Assert.True(comments.Any(c => Regex.IsMatch(c, $@"\b{Regex.Escape(capability)}\b")), $"{file}: capability {capability} has no comment line saying what it is for");
            }
        }
    }

    [RootFact]
    public void Containers_HaveResourceRequestsAndMemoryLimits()
    {
        foreach (var container in Manifests.PodSpecs.SelectMany(p => p.Containers))
        {
            Assert.True(container.Resources?.Requests?.ContainsKey("cpu") == true && container.Resources.Requests.ContainsKey("memory"), $"{container.Name}: cpu and memory requests");
            Assert.True(container.Resources?.Limits?.ContainsKey("memory") == true, $"{container.Name}: a memory limit");
        }
    }

    [RootFact]
    public void ApiRbac_ReadOnlyPodsAndNodes_NoSecretsNoWildcards()
    {
        var account = Manifests.ApiDeployment.Spec.Template.Spec.ServiceAccountName;
        var ns = new RoutingOptions().Namespace;
        var roles = Manifests.All<V1RoleBinding>()
            .Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account && s.NamespaceProperty == ns))
            .Select(b => Manifests.Named<V1Role>(b.RoleRef.Name))
            .ToList();
        var rules = roles.SelectMany(r => r.Rules).ToList();
        string[] readOnly = ["get", "list", "watch"];

        Assert.Single(Manifests.All<V1ServiceAccount>(), a => a.Metadata.Name == account);
        Assert.All(roles, r => Assert.Equal(ns, r.Metadata.NamespaceProperty));
        var pods = rules.Where(r => r.Resources.Contains("pods")).ToList();
        Assert.NotEmpty(pods);
        Assert.All(pods, r => Assert.Equal(readOnly, r.Verbs.Order(StringComparer.Ordinal)));
        Assert.All(pods, r => Assert.Equal([""], r.ApiGroups));
        // Other rules (added by other features) may exist, but no wildcard, and none may widen access to pods.
        Assert.All(rules, r => Assert.DoesNotContain("*", r.Verbs.Concat(r.Resources).Concat(r.ApiGroups ?? [])));

        var clusterRules = Manifests.All<V1ClusterRoleBinding>()
            .Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account))
            .SelectMany(b => Manifests.Named<V1ClusterRole>(b.RoleRef.Name).Rules)
            .ToList();
        var nodes = Assert.Single(clusterRules, r => r.Resources.Contains("nodes"));
        Assert.Equal(readOnly, nodes.Verbs.Order(StringComparer.Ordinal));
        // Drills time the drain of the workloads on a node, which live in any namespace: pods may be listed and watched
        // cluster-wide, read only; secrets never.
        Assert.All(clusterRules.Where(r => r.Resources.Contains("pods")), r => Assert.Equal(["list", "watch"], r.Verbs.Order(StringComparer.Ordinal)));
        Assert.DoesNotContain(clusterRules, r => r.Resources.Contains("secrets"));
        Assert.All(clusterRules, r => Assert.DoesNotContain("*", r.Verbs.Concat(r.Resources).Concat(r.ApiGroups ?? [])));
    }

    /// <summary>A Kestrel endpoint's URL or protocols (<c>Kestrel__Endpoints__&lt;Name&gt;__Url|Protocols</c>), as ASP.NET Core binds them.</summary>
    private static bool IsKestrelEndpointSetting(string envName) =>
        envName.Split("__") is ["Kestrel", "Endpoints", { Length: > 0 }, "Url" or "Protocols"];

    private static bool IsSetting(string envName, IReadOnlyDictionary<string, Type> sections)
    {
        var parts = envName.Split("__");
        if (parts.Length > 2 && parts[^1].All(char.IsAsciiDigit))
        {
            // An item of a list setting (Section__List__0): the list must be a settable collection property.
            var listSection = string.Join(':', parts[..^2]);
            return sections.TryGetValue(listSection, out var listType)
                && listType.GetProperty(parts[^2], System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase) is { CanWrite: true } list
                && list.PropertyType != typeof(string)
                && typeof(System.Collections.IEnumerable).IsAssignableFrom(list.PropertyType);
        }

        if (parts.Length < 2)
        {
            return false;
        }

        var section = string.Join(':', parts[..^1]);
        return sections.TryGetValue(section, out var type)
            && type.GetProperty(parts[^1], System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase) is { CanWrite: true };
    }

    private static Dictionary<string, string> Env(V1Container container) =>
        (container.Env ?? []).Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);

    private static int Port(V1Container container, string name) => container.Ports.Single(p => p.Name == name).ContainerPort;

    private static int ResolvePort(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : Port(container, port.Value);

    private static (V1Volume Volume, V1VolumeMount Mount) Volume(V1PodSpec pod, V1Container container, string mountPath)
    {
        var mount = container.VolumeMounts.SingleOrDefault(m => m.MountPath.TrimEnd('/') == mountPath.TrimEnd('/'))
            ?? throw new Xunit.Sdk.XunitException($"{container.Name} mounts nothing at {mountPath}");
        return (pod.Volumes.Single(v => v.Name == mount.Name), mount);
    }

    private static JsonDocument AgentAppSettings() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "FaultAgent", "appsettings.json")));

    private static int EndpointPort(JsonDocument settings, string endpoint) =>
        new Uri(settings.RootElement.GetProperty("Kestrel").GetProperty("Endpoints").GetProperty(endpoint).GetProperty("Url").GetString()!.Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;

    /// <summary>The keys of <paramref name="secret"/> the manifest's <c>kubectl create secret generic</c> comment creates.</summary>
    private static List<string> SecretKeysCreatedByComment(string text, string secret)
    {
        var command = text.Split('\n').SkipWhile(l => !l.Contains($"create secret generic {secret}", StringComparison.Ordinal)).Take(3);
        return [.. command.SelectMany(l => FromLiteral().Matches(l).Select(m => m.Groups[1].Value))];
    }

    [GeneratedRegex(@"--from-(?:literal|file)=([A-Za-z0-9._-]+)=")]
    private static partial Regex FromLiteral();
}
