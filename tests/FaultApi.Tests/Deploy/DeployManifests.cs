using k8s;
using k8s.Models;

namespace FaultApi.Tests.Deploy;

/// <summary>Every manifest of <c>deploy/</c>, loaded with KubernetesClient's YAML loader (strict: unknown fields fail) into typed objects.</summary>
public sealed class DeployManifests
{
    private DeployManifests(string directory, IReadOnlyList<(string File, object Resource)> resources, IReadOnlyDictionary<string, string> texts)
    {
        Directory = directory;
        Resources = resources;
        Texts = texts;
    }

    public string Directory { get; }

    public IReadOnlyList<(string File, object Resource)> Resources { get; }

    /// <summary>The raw text of each file (comments are not in the typed objects).</summary>
    public IReadOnlyDictionary<string, string> Texts { get; }

    public static DeployManifests Load()
    {
        var directory = Path.Combine(RepositoryRoot.Path, "deploy");
        var resources = new List<(string, object)>();
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            texts[Path.GetFileName(file)] = text;
            foreach (var resource in KubernetesYaml.LoadAllFromString(text, strict: true))
            {
                resources.Add((Path.GetFileName(file), resource));
            }
        }

        return new DeployManifests(directory, resources, texts);
    }

    public IEnumerable<T> All<T>() => Resources.Select(r => r.Resource).OfType<T>();

    public T Named<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().Single(r => r.Metadata.Name == name);

    public V1DaemonSet AgentDaemonSet => Named<V1DaemonSet>("gpu-fault-injector-kernel");

    public V1Deployment ApiDeployment => Named<V1Deployment>("fault-injection-api");

    public V1Container AgentContainer => AgentDaemonSet.Spec.Template.Spec.Containers.Single(c => c.Name == "fault-agent");

    public V1Container ApiContainer => ApiDeployment.Spec.Template.Spec.Containers.Single(c => c.Name == "fault-api");

    /// <summary>Every pod template of the workloads (DaemonSets, Deployments).</summary>
    public IEnumerable<V1PodSpec> PodSpecs =>
        All<V1DaemonSet>().Select(d => d.Spec.Template.Spec).Concat(All<V1Deployment>().Select(d => d.Spec.Template.Spec));
}
