using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using FaultApi.Tests.Infrastructure;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace FaultApi.Tests.Deploy;

/// <summary>
/// What <c>kubectl apply -k deploy/overlays/&lt;overlay&gt;</c> installs: the overlay rendered with <c>kubectl kustomize</c>
/// (Debian's kubectl, as CI runs it) and loaded with KubernetesClient's YAML loader (strict: unknown fields fail) into
/// typed objects; the Prometheus Operator's resources, which KubernetesClient has no types for, as plain YAML. The
/// source files' text is kept too (the rendering drops comments).
/// </summary>
public sealed partial class DeployManifests
{
    private static readonly ConcurrentDictionary<string, Lazy<DeployManifests>> Rendered = new(StringComparer.Ordinal);

    private DeployManifests(string overlay, IReadOnlyList<(string File, object Resource)> resources, IReadOnlyList<YamlMappingNode> customResources, IReadOnlyDictionary<string, string> texts)
    {
        Overlay = overlay;
        Resources = resources;
        CustomResources = customResources;
        Texts = texts;
    }

    /// <summary>deploy/.</summary>
    public static string Directory => Path.Combine(RepositoryRoot.Path, "deploy");

    /// <summary>Every overlay under deploy/overlays: each is an install.</summary>
    public static IReadOnlyList<string> Overlays =>
        [.. System.IO.Directory.GetDirectories(Path.Combine(Directory, "overlays")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public string Overlay { get; }

    /// <summary>Each rendered resource with the source file (base or overlay) that defines it.</summary>
    public IReadOnlyList<(string File, object Resource)> Resources { get; }

    /// <summary>Rendered resources of API groups KubernetesClient has no types for (monitoring.coreos.com).</summary>
    public IReadOnlyList<YamlMappingNode> CustomResources { get; }

    /// <summary>The raw text of each source file of the overlay and its base, by file name (comments are not in the rendering).</summary>
    public IReadOnlyDictionary<string, string> Texts { get; }

    /// <summary>The overlay's rendering (once per test run).</summary>
    public static DeployManifests Load(string overlay = "default") =>
        Rendered.GetOrAdd(overlay, o => new Lazy<DeployManifests>(() => Render(o))).Value;

    public IEnumerable<T> All<T>() => Resources.Select(r => r.Resource).OfType<T>();

    public T Named<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().Single(r => r.Metadata.Name == name);

    public V1DaemonSet AgentDaemonSet => Named<V1DaemonSet>("gpu-fault-injector-kernel");

    public V1Deployment ApiDeployment => Named<V1Deployment>("fault-injection-api");

    public V1Container AgentContainer => AgentDaemonSet.Spec.Template.Spec.Containers.Single(c => c.Name == "fault-agent");

    public V1Container ApiContainer => ApiDeployment.Spec.Template.Spec.Containers.Single(c => c.Name == "fault-api");

    /// <summary>Every pod template of the workloads (DaemonSets, Deployments, CronJobs).</summary>
    public IEnumerable<V1PodSpec> PodSpecs =>
        All<V1DaemonSet>().Select(d => d.Spec.Template.Spec)
            .Concat(All<V1Deployment>().Select(d => d.Spec.Template.Spec))
            .Concat(All<V1CronJob>().Select(c => c.Spec.JobTemplate.Spec.Template.Spec));

    /// <summary>The custom resource of <paramref name="kind"/> (e.g. ServiceMonitor).</summary>
    public YamlMappingNode Custom(string kind) => CustomResources.Single(d => ((YamlScalarNode)d.Children[new YamlScalarNode("kind")]).Value == kind);

    private static DeployManifests Render(string overlay)
    {
        var directory = Path.Combine(Directory, "overlays", overlay);
        var rendering = Kustomize(directory);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var sources = new Dictionary<(string Kind, string Name), string>();
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Directory, "base"), "*.yaml").Order(StringComparer.Ordinal)
            .Concat(System.IO.Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal)))
        {
            var name = Path.GetFileName(file);
            var text = File.ReadAllText(file);
            texts[name] = text;
            foreach (Match match in KindAndName().Matches(text))
            {
                sources.TryAdd((match.Groups["kind"].Value, match.Groups["name"].Value), name);
            }
        }

        var resources = new List<(string, object)>();
        var custom = new List<YamlMappingNode>();
        foreach (var document in DocumentSeparator().Split(rendering).Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            if (document.Contains("apiVersion: monitoring.coreos.com/", StringComparison.Ordinal))
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(document));
                custom.Add((YamlMappingNode)stream.Documents[0].RootNode);
                continue;
            }

            foreach (var resource in KubernetesYaml.LoadAllFromString(document, strict: true))
            {
                var meta = ((IKubernetesObject<V1ObjectMeta>)resource).Metadata;
                var kind = ((IKubernetesObject)resource).Kind;
                resources.Add((sources.GetValueOrDefault((kind, meta.Name)) ?? "kustomization.yaml", resource));
            }
        }

        return new DeployManifests(overlay, resources, custom, texts);
    }

    private static string Kustomize(string directory)
    {
        var kubectl = DebianTool.EnsureAsync("kubectl", "kubernetes-client").GetAwaiter().GetResult();
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"kubectl kustomize {directory} failed ({process.ExitCode}): {errors.GetAwaiter().GetResult()}");
    }

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^kind: (?<kind>\w+)\s*\nmetadata:\s*\n(?:  (?!name:).*\n)*  name: (?<name>[\w.-]+)", RegexOptions.Multiline)]
    private static partial Regex KindAndName();
}
