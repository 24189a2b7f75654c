using k8s.Models;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// ConfigMaps on the fake API server, as the emergency-stop tests read them. The routes (get, list/watch, create with
/// 409 AlreadyExists, replace with 409 Conflict on a stale resourceVersion, patch, delete) are the object routes'.
/// </summary>
public sealed partial class FakeKubeApiServer
{
    private int _configMapWrites;

    /// <summary>ConfigMaps created, replaced or patched through the API.</summary>
    public int ConfigMapWrites => Volatile.Read(ref _configMapWrites);

    /// <summary>The stored ConfigMap (a copy), or null.</summary>
    public V1ConfigMap? GetConfigMap(string ns, string name) => Get<V1ConfigMap>("ConfigMap", ns, name);
}
