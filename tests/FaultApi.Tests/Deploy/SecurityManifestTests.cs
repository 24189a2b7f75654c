using System.Net;
using System.Net.Http.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using k8s.Models;

namespace FaultApi.Tests.Deploy;

/// <summary>
/// The security model as the manifests state it: the agent accepts only the API's projected, audience-bound
/// ServiceAccount token (TokenReview, its only RBAC), a NetworkPolicy admits the agent's ports only from the API's pods
/// and its metrics port (which serves nothing but /metrics, checked on a real agent) from labelled namespaces, and the
/// agent is privileged without a capability list that would pretend otherwise. Run on the rendering of every overlay
/// (one derived class each).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public abstract class SecurityManifestTests(string overlay)
{
    public const string MetricsScraperLabel = "fault-injection/metrics-scraper";
    private DeployManifests Manifests { get; } = DeployManifests.Load(overlay);
    private static readonly AgentAssemblyOptions Agent = AgentAssemblyOptions.Instance;

    [RootFact]
    public void AgentAuth_ReviewsTheApisProjectedTokenForItsAudience_AndMayOnlyCreateTokenReviews()
    {
        var agentEnv = Env(Manifests.AgentContainer);
        var apiPod = Manifests.ApiDeployment.Spec.Template.Spec;
        var apiAccount = Manifests.Named<V1ServiceAccount>(apiPod.ServiceAccountName);
        var audience = (string)Agent.Default("Agent:TokenReview", "Audience")!;
        var tokenFile = Env(Manifests.ApiContainer)["Agents__TokenFile"];
        var mount = Manifests.ApiContainer.VolumeMounts.Single(m => tokenFile.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        var projected = apiPod.Volumes.Single(v => v.Name == mount.Name).Projected?.Sources.Single().ServiceAccountToken;

        Assert.Equal("TokenReview", agentEnv["Agent__AuthMode"]);
        Assert.Equal($"{apiAccount.Metadata.NamespaceProperty}/{apiAccount.Metadata.Name}", agentEnv["Agent__TokenReview__AllowedServiceAccounts__0"]);
        Assert.DoesNotContain(agentEnv.Keys, k => k.StartsWith("Agent__TokenReview__AllowedServiceAccounts__", StringComparison.Ordinal) && k != "Agent__TokenReview__AllowedServiceAccounts__0");
        Assert.False(agentEnv.ContainsKey("Agent__TokenReview__Audience"));
        Assert.NotNull(projected);
        Assert.Equal(audience, projected.Audience);
        Assert.Equal(tokenFile, $"{mount.MountPath.TrimEnd('/')}/{projected.Path}");
        Assert.InRange(projected.ExpirationSeconds ?? 3607, 600, 86400);
        Assert.True(mount.ReadOnlyProperty == true);

        // The agent's ServiceAccount: its token is mounted, and its only permission is creating TokenReviews.
        var agentAccount = Manifests.AgentDaemonSet.Spec.Template.Spec.ServiceAccountName;
        Assert.True(Manifests.AgentDaemonSet.Spec.Template.Spec.AutomountServiceAccountToken ?? true);
        var bound = Manifests.All<V1ClusterRoleBinding>().Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == agentAccount))
            .SelectMany(b => Manifests.Named<V1ClusterRole>(b.RoleRef.Name).Rules).ToList();
        var rule = Assert.Single(bound);
        Assert.Equal(["authentication.k8s.io"], rule.ApiGroups);
        Assert.Equal(["tokenreviews"], rule.Resources);
        Assert.Equal(["create"], rule.Verbs);
        Assert.DoesNotContain(Manifests.All<V1RoleBinding>(), b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == agentAccount));
        Assert.DoesNotContain(Manifests.Texts.Values, t => t.Contains("fault-injector-agent-token", StringComparison.Ordinal));
    }

    [RootFact]
    public void NetworkPolicy_AdmitsTheAgentPortsOnlyFromTheApiPods_AndTheMetricsPortFromLabelledNamespaces()
    {
        var policy = Assert.Single(Manifests.All<V1NetworkPolicy>());
        var agentPod = Manifests.AgentDaemonSet.Spec.Template;
        var apiLabels = Manifests.ApiDeployment.Spec.Template.Metadata.Labels;
        var container = Manifests.AgentContainer;

        Assert.Equal(Manifests.AgentDaemonSet.Metadata.NamespaceProperty, policy.Metadata.NamespaceProperty);
        Assert.All(policy.Spec.PodSelector.MatchLabels, l => Assert.Equal(l.Value, agentPod.Metadata.Labels[l.Key]));
        Assert.Null(policy.Spec.PodSelector.MatchExpressions);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        Assert.Equal(2, policy.Spec.Ingress.Count);

        // 1. The API's pods, in this namespace (no namespaceSelector), on the gRPC, HTTP and control ports.
        var fromApi = policy.Spec.Ingress[0];
        var apiPeer = Assert.Single(fromApi.FromProperty);
        Assert.Null(apiPeer.NamespaceSelector);
        Assert.Null(apiPeer.IpBlock);
        Assert.All(apiPeer.PodSelector.MatchLabels, l => Assert.Equal(l.Value, apiLabels[l.Key]));
        Assert.False(apiPeer.PodSelector.MatchLabels.All(l => agentPod.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value), "the API peer also selects the agent pods");
        Assert.Equal([8083, 8084, 8086], fromApi.Ports.Select(p => ContainerPort(container, p.Port)).Order());

        // 2. Namespaces with the documented label, on the metrics port only.
        var fromMonitoring = policy.Spec.Ingress[1];
        var scraper = Assert.Single(fromMonitoring.FromProperty);
        Assert.Null(scraper.PodSelector);
        Assert.Equal(new Dictionary<string, string> { [MetricsScraperLabel] = "true" }, scraper.NamespaceSelector.MatchLabels);
        var metricsPort = ContainerPort(container, Assert.Single(fromMonitoring.Ports).Port);
        Assert.Equal(MetricsPortOf(container), metricsPort);
        Assert.Equal(metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), agentPod.Metadata.Annotations["prometheus.io/port"]);
        Assert.All(policy.Spec.Ingress.SelectMany(r => r.Ports), p => Assert.Equal("TCP", p.Protocol));

        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        Assert.Contains($"{MetricsScraperLabel}=true", readme, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task MetricsPort_OfTheRealAgent_ServesMetricsAndNothingElse()
    {
        using var directory = new TestDirectory();
        using var target = new TargetNamespaceProcess();
        var address = LoopbackAddresses.Allocate(1)[0];
        var tokens = directory.Combine("tokens");
        await File.WriteAllTextAsync(tokens, "fault-api:metrics-port-token-0123456789\n");
        var env = Env(Manifests.AgentContainer);
        var metricsPort = LoopbackAddresses.FreePort(address);
        var metricsUrl = env["Kestrel__Endpoints__Metrics__Url"].Replace("0.0.0.0", address.ToString(), StringComparison.Ordinal).Replace($":{MetricsPortOf(Manifests.AgentContainer)}", $":{metricsPort}", StringComparison.Ordinal);
        await using var agent = await RealAgentProcess.StartAsync(
            "gpu-node-metrics-port",
            address,
            LoopbackAddresses.FreePort(address),
            Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"),
            target.Pid,
            Directory.CreateDirectory(directory.Combine("state")).FullName,
            tokens,
            new Dictionary<string, string>
            {
                ["Kestrel:Endpoints:Metrics:Url"] = metricsUrl,
                ["Kestrel:Endpoints:Metrics:Protocols"] = env["Kestrel__Endpoints__Metrics__Protocols"],
            });
        using var metrics = new HttpClient { BaseAddress = new Uri(metricsUrl) };
        metrics.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "metrics-port-token-0123456789");

        Assert.Equal(HttpStatusCode.OK, (await metrics.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await metrics.GetAsync(new Uri("/faults", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await metrics.PostAsJsonAsync("/inject-xid", new { fault_id = "through-metrics", xid_type = 79, gpu_id = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await metrics.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        using var http = new HttpClient { BaseAddress = agent.HttpAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/faults", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    [RootFact]
    public void AgentContainer_IsPrivileged_WithoutACapabilityList_AndSaysWhy()
    {
        var context = Manifests.AgentContainer.SecurityContext;
        var text = Manifests.Texts["gpu-fault-injector-kernel.yaml"];

        Assert.True(context.Privileged);
        Assert.Null(context.Capabilities);
        Assert.Null(context.AllowPrivilegeEscalation);
        foreach (var reason in new[] { "device cgroup", "/dev/kmsg", "SYS_CHROOT", "SYS_ADMIN", "SYS_PTRACE", "SYSLOG" })
        {
            Assert.Contains(reason, text, StringComparison.Ordinal);
        }
    }

    [RootFact]
    public void ApiContainer_RunsAsNonRootOnAReadOnlyRootWithEveryCapabilityDropped_AsItsImagesUser()
    {
        var pod = Manifests.ApiDeployment.Spec.Template.Spec.SecurityContext;
        var api = Manifests.ApiContainer.SecurityContext;

        Assert.True(pod.RunAsNonRoot);
        Assert.NotNull(pod.RunAsUser);
        Assert.NotEqual(0, pod.RunAsUser);
        Assert.Equal(pod.RunAsUser, pod.RunAsGroup);
        Assert.Null(api.RunAsUser); // the pod's user, not overridden per container
        Assert.False(api.Privileged ?? false);
        Assert.Equal(["ALL"], api.Capabilities.Drop);
        Assert.Null(api.Capabilities.Add);
        Assert.False(api.AllowPrivilegeEscalation);
        Assert.True(api.ReadOnlyRootFilesystem);

        // The image runs as the same user (a runtime refuses runAsNonRoot for an image whose USER is root or a name).
        var dockerfile = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "src", "FaultApi", "Dockerfile"));
        Assert.Equal($"USER {pod.RunAsUser}", dockerfile.Last(line => line.StartsWith("USER ", StringComparison.Ordinal)));
    }

    [RootFact]
    public void ApiRbac_WritesOnlyConfigMapsOfItsOwnNamespace_AndReadsTheRest()
    {
        var account = Manifests.ApiDeployment.Spec.Template.Spec.ServiceAccountName;
        var ns = Manifests.ApiDeployment.Metadata.NamespaceProperty;
        string[] reads = ["get", "list", "watch"];
        var roles = Manifests.All<V1RoleBinding>().Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account))
            .Select(b => Manifests.Named<V1Role>(b.RoleRef.Name)).ToList();
        var clusterRules = Manifests.All<V1ClusterRoleBinding>().Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account))
            .SelectMany(b => Manifests.Named<V1ClusterRole>(b.RoleRef.Name).Rules).ToList();

        Assert.All(roles, r => Assert.Equal(ns, r.Metadata.NamespaceProperty));
        Assert.All(roles.SelectMany(r => r.Rules).Where(r => r.Verbs.Except(reads).Any()), r => Assert.Equal(["configmaps"], r.Resources));
        Assert.All(clusterRules, r => Assert.Empty(r.Verbs.Except(reads)));
        Assert.Equal(["nodes", "pods"], clusterRules.SelectMany(r => r.Resources).Order(StringComparer.Ordinal));
    }

    private static int MetricsPortOf(V1Container container) => container.Ports.Single(p => p.Name == "metrics").ContainerPort;

    private static int ContainerPort(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, out var number) ? number : container.Ports.Single(p => p.Name == port.Value).ContainerPort;

    private static Dictionary<string, string> Env(V1Container container) =>
        (container.Env ?? []).Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
}
