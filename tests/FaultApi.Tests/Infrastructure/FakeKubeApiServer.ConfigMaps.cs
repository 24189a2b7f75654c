using k8s.Models;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// ConfigMaps on the fake API server, as the emergency-stop tests read them. The routes (get, list/watch, create with
/// 409 AlreadyExists, replace with 409 Conflict on a stale resourceVersion, patch, delete) are the object routes'; a
/// test may have writes refused with 422 Invalid (<see cref="RefuseConfigMapWrites"/>).
/// </summary>
public sealed partial class FakeKubeApiServer
{
    private int _configMapWrites;
    private int _refusedConfigMapWrites;
    private Func<V1ConfigMap, string?>? _configMapRefusal;
    private readonly Lock _heldLock = new();
    private readonly Dictionary<string, (Func<V1ConfigMap, bool> Match, TaskCompletionSource<V1ConfigMap> Arrived, TaskCompletionSource Release)> _held = new(StringComparer.Ordinal);

    /// <summary>ConfigMap writes refused by <see cref="RefuseConfigMapWrites"/>.</summary>
    public int RefusedConfigMapWrites => Volatile.Read(ref _refusedConfigMapWrites);

    /// <summary>
    /// From now on, every ConfigMap create, replace or patch for which <paramref name="refusal"/> gives a message (it
    /// sees the object as it would be stored) is answered 422 Invalid with that message and nothing is stored, as the
    /// real server's validation or an admission webhook refuses; null refuses nothing again.
    /// </summary>
    public void RefuseConfigMapWrites(Func<V1ConfigMap, string?>? refusal) => Volatile.Write(ref _configMapRefusal, refusal);

    /// <summary>
    /// Holds the next ConfigMap create that <paramref name="match"/> picks, after it arrived and before it is stored (as a
    /// slow API server or a paused client would), until the returned release is called; the task completes with the
    /// object when it arrived. Only that one create is held.
    /// </summary>
    public (Task<V1ConfigMap> Arrived, Action Release) HoldNextConfigMapCreate(Func<V1ConfigMap, bool> match) => Hold("create", match);

    /// <summary>
    /// Holds the next ConfigMap replace that <paramref name="match"/> picks (it sees the object as sent), after it arrived
    /// and before its resourceVersion is checked and it is stored, until the returned release is called: a write that
    /// another one overtakes meanwhile is answered 409 Conflict as the real server answers it. Only that one is held.
    /// </summary>
    public (Task<V1ConfigMap> Arrived, Action Release) HoldNextConfigMapReplace(Func<V1ConfigMap, bool> match) => Hold("replace", match);

    /// <summary>
    /// Holds the next read (GET) of ConfigMap <paramref name="name"/> in <paramref name="ns"/> before it is looked up, until
    /// the returned release is called: it answers what is stored then (404 if it was deleted meanwhile). The task completes
    /// when it arrived (with an object naming it). Only that one read is held.
    /// </summary>
    public (Task<V1ConfigMap> Arrived, Action Release) HoldNextConfigMapRead(string ns, string name) =>
        Hold("read", m => m.Metadata.NamespaceProperty == ns && m.Metadata.Name == name);

    private (Task<V1ConfigMap> Arrived, Action Release) Hold(string verb, Func<V1ConfigMap, bool> match)
    {
        var arrived = new TaskCompletionSource<V1ConfigMap>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_heldLock)
        {
            _held[verb] = (match, arrived, release);
        }

        return (arrived.Task, () => release.TrySetResult());
    }

    /// <summary>Waits while the <paramref name="verb"/> of <paramref name="item"/> is the one held (see <see cref="Hold"/>).</summary>
    private async Task WaitIfHeldAsync(string verb, V1ConfigMap item)
    {
        TaskCompletionSource? release = null;
        lock (_heldLock)
        {
            if (_held.TryGetValue(verb, out var held) && held.Match(item))
            {
                _held.Remove(verb);
                held.Arrived.TrySetResult(item);
                release = held.Release;
            }
        }

        if (release is not null)
        {
            await release.Task;
        }
    }

    /// <summary>The size the real server counts against its 1 MiB: the values of <c>data</c> and <c>binaryData</c> together.</summary>
    public static int DataBytes(V1ConfigMap configMap) =>
        (configMap?.Data?.Values.Sum(v => System.Text.Encoding.UTF8.GetByteCount(v ?? "")) ?? 0) + (configMap?.BinaryData?.Values.Sum(v => v?.Length ?? 0) ?? 0);

    /// <summary>ConfigMaps created, replaced or patched through the API.</summary>
    public int ConfigMapWrites => Volatile.Read(ref _configMapWrites);

    /// <summary>The stored ConfigMap (a copy), or null.</summary>
    public V1ConfigMap? GetConfigMap(string ns, string name) => Get<V1ConfigMap>("ConfigMap", ns, name);
}
