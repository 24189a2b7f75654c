using System.Globalization;
using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A fake Kubernetes API server on real Kestrel (loopback, port 0), after kubernetes-client/csharp's MockKubeApiServer:
/// serves pod lists and watches (<c>/api/v1/namespaces/{ns}/pods</c>) and node lists and watches (<c>/api/v1/nodes</c>)
/// honoring <c>labelSelector</c> (equality), <c>fieldSelector</c> (metadata.name, spec.nodeName, status.phase) and
/// <c>resourceVersion</c>, streaming ADDED/MODIFIED/DELETED events; tests can drop every watch or expire the history
/// (a watch from an older version then gets 410 Gone). The object routes (reads, patches, deletes, ConfigMap CRUD with
/// resourceVersion conflicts) are in FakeKubeApiServer.Objects.cs.
/// </summary>
public sealed partial class FakeKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IKubernetesObject<V1ObjectMeta>> _objects = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Type, IKubernetesObject<V1ObjectMeta> Object)> _history = [];
    private readonly List<Watcher> _watchers = [];
    private long _version = 100;
    private long _oldestWatchable;

    private FakeKubeApiServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public int PodListCount { get; private set; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _heldPodLists = new(StringComparer.Ordinal);

    /// <summary>Holds every pod list (not watch) in namespace <paramref name="ns"/> unanswered until <see cref="ReleasePodLists"/> (an API's routing cannot sync meanwhile).</summary>
    public void HoldPodLists(string ns) => _heldPodLists.TryAdd(ns, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Answers the pod lists held in <paramref name="ns"/> (with the objects as they are now) and every later one.</summary>
    public void ReleasePodLists(string ns)
    {
        if (_heldPodLists.TryRemove(ns, out var held))
        {
            held.TrySetResult();
        }
    }

    /// <summary>Exceptions the fake server itself threw (a test bug, not the client's).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<Exception> Failures { get; } = new();

    public int PodWatchCount { get; private set; }

    /// <summary>Answer an expired watch with HTTP 410 (true) or, as real API servers do, 200 and an ERROR event with status 410 (false).</summary>
    public bool GoneAsHttpStatus { get; set; }

    public int ActiveWatches
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public static async Task<FakeKubeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeKubeApiServer(app);
        app.Use(async (context, next) =>
        {
            server.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            try
            {
                await next(context);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                server.Failures.Enqueue(ex);
                throw;
            }
        });
        app.MapGet("/api/v1/namespaces/{ns}/pods", (HttpContext context, string ns) => server.ServeAsync(context, "Pod", ns));
        app.MapGet("/api/v1/nodes", (HttpContext context) => server.ServeAsync(context, "Node", null));
        server.MapObjectRoutes(app);
        server.MapTokenReviewRoutes(app);
        await app.StartAsync();
        server.Address = new Uri(app.Urls.First());
        return server;
    }

    /// <summary>Writes a kubeconfig pointing at this server, presenting <paramref name="token"/>, and returns its path.</summary>
    public string WriteKubeconfig(string directory, string token = "fake-cluster-token", string fileName = "kubeconfig")
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Address.ToString().TrimEnd('/')}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: fault-injection-system
            current-context: fake
            users:
            - name: fake
              user:
                token: {token}
            """);
        return path;
    }

    public static V1Node Node(string name, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["nvidia.com/gpu.present"] = "true" } },
    };

    public static V1Pod AgentPod(string name, string nodeName, string podIp, bool ready = true, string phase = "Running", string ns = "fault-injection-system", string app = "gpu-fault-injector-kernel") => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["app"] = app },
            CreationTimestamp = DateTime.UtcNow,
        },
        Spec = new V1PodSpec { NodeName = nodeName, Containers = [new V1Container { Name = "agent", Image = "agent" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            PodIP = podIp,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    public void Upsert(IKubernetesObject<V1ObjectMeta> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Publish(item, remove: false);
    }

    public void Delete(IKubernetesObject<V1ObjectMeta> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Publish(item, remove: true);
    }

    /// <summary>Aborts every open watch connection (as a dropped network connection would).</summary>
    public void DropWatches()
    {
        List<Watcher> watchers;
        lock (_gate)
        {
            watchers = [.. _watchers];
        }

        foreach (var watcher in watchers)
        {
            try
            {
                watcher.Context.Abort();
            }
            catch (ObjectDisposedException)
            {
                // That watch request ended on its own meanwhile.
            }
        }
    }

    /// <summary>Forgets the event history (as etcd compaction does): a watch from any earlier version gets 410 Gone.</summary>
    public void ExpireHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _oldestWatchable = ++_version;
        }
    }

    /// <summary>Removes an object without telling open watches (a change only a re-list can see, as after compaction).</summary>
    public void DeleteUnannounced(IKubernetesObject<V1ObjectMeta> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            _objects.Remove(Key(item));
            ++_version;
        }
    }

    public async ValueTask DisposeAsync()
    {
        DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Publish(IKubernetesObject<V1ObjectMeta> item, bool remove)
    {
        lock (_gate)
        {
            var key = Key(item);
            var existed = _objects.ContainsKey(key);
            if (remove && !existed)
            {
                return;
            }

            var version = ++_version;
            var copy = Copy(item);
            copy.Metadata.ResourceVersion = version.ToString(CultureInfo.InvariantCulture);
            var type = remove ? "DELETED" : existed ? "MODIFIED" : "ADDED";
            if (remove)
            {
                _objects.Remove(key);
            }
            else
            {
                _objects[key] = copy;
            }

            _history.Add((version, type, copy));
            foreach (var watcher in _watchers)
            {
                watcher.Events.Writer.TryWrite((type, copy));
            }
        }
    }

    private async Task ServeAsync(HttpContext context, string kind, string? ns)
    {
        var query = context.Request.Query;
        var labelSelector = (string?)query["labelSelector"];
        var fieldSelector = (string?)query["fieldSelector"];
        bool Matches(IKubernetesObject<V1ObjectMeta> o) =>
            o.Kind == kind && (ns is null || o.Metadata.NamespaceProperty == ns) && MatchesLabels(o, labelSelector) && MatchesFields(o, fieldSelector);

        if (!string.Equals(query["watch"], "true", StringComparison.OrdinalIgnoreCase))
        {
            if (kind == "Pod" && ns is not null && _heldPodLists.TryGetValue(ns, out var held))
            {
                await held.Task.WaitAsync(context.RequestAborted);
            }

            string body;
            lock (_gate)
            {
                if (kind == "Pod")
                {
                    PodListCount++;
                }

                var items = _objects.Values.Where(Matches).ToList();
                var version = _version.ToString(CultureInfo.InvariantCulture);
                body = kind switch
                {
                    "Pod" => KubernetesJson.Serialize(new V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta { ResourceVersion = version }, Items = [.. items.Cast<V1Pod>()] }),
                    "ConfigMap" => KubernetesJson.Serialize(new V1ConfigMapList { ApiVersion = "v1", Kind = "ConfigMapList", Metadata = new V1ListMeta { ResourceVersion = version }, Items = [.. items.Cast<V1ConfigMap>()] }),
                    _ => KubernetesJson.Serialize(new V1NodeList { ApiVersion = "v1", Kind = "NodeList", Metadata = new V1ListMeta { ResourceVersion = version }, Items = [.. items.Cast<V1Node>()] }),
                };
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
            return;
        }

        var from = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var watcher = new Watcher(context);
        List<(string Type, IKubernetesObject<V1ObjectMeta> Object)> backlog;
        bool gone;
        lock (_gate)
        {
            if (kind == "Pod")
            {
                PodWatchCount++;
            }

            gone = from < _oldestWatchable;
            backlog = gone ? [] : [.. _history.Where(h => h.Version > from).Select(h => (h.Type, h.Object))];
            if (!gone)
            {
                _watchers.Add(watcher);
            }
        }

        // KubernetesJson cannot write V1Status: the API server's JSON, by hand.
        var status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: "
            + from.ToString(CultureInfo.InvariantCulture) + "\",\"reason\":\"Expired\",\"code\":410}";
        if (gone && GoneAsHttpStatus)
        {
            context.Response.StatusCode = StatusCodes.Status410Gone;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(status);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();
        if (gone)
        {
            await WriteEventJsonAsync(context, "ERROR", status);
            return;
        }

        try
        {
            foreach (var (type, item) in backlog.Where(e => Matches(e.Object)))
            {
                await WriteEventAsync(context, type, item);
            }

            await foreach (var (type, item) in watcher.Events.Reader.ReadAllAsync(context.RequestAborted))
            {
                if (Matches(item))
                {
                    await WriteEventAsync(context, type, item);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    private static Task WriteEventAsync(HttpContext context, string type, object item) =>
        WriteEventJsonAsync(context, type, KubernetesJson.Serialize(item));

    private static async Task WriteEventJsonAsync(HttpContext context, string type, string json)
    {
        var line = "{\"type\":\"" + type + "\",\"object\":" + json + "}\n";
        await context.Response.WriteAsync(line, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static bool MatchesLabels(IKubernetesObject<V1ObjectMeta> item, string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }

        var labels = item.Metadata.Labels ?? new Dictionary<string, string>();
        return selector.Split(',').All(term =>
        {
            var parts = term.Split('=', 2);
            return parts.Length == 2 && labels.TryGetValue(parts[0].Trim(), out var value) && value == parts[1].Trim();
        });
    }

    private static bool MatchesFields(IKubernetesObject<V1ObjectMeta> item, string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }

        return selector.Split(',').All(term =>
        {
            var parts = term.Split('=', 2);
            var actual = parts[0] switch
            {
                "metadata.name" => item.Metadata.Name,
                "metadata.namespace" => item.Metadata.NamespaceProperty,
                "spec.nodeName" => (item as V1Pod)?.Spec?.NodeName,
                "status.phase" => (item as V1Pod)?.Status?.Phase,
                _ => null,
            };
            return parts.Length == 2 && actual == parts[1];
        });
    }

    private static string Key(IKubernetesObject<V1ObjectMeta> item) => $"{item.Kind}/{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";

    private sealed class Watcher(HttpContext context)
    {
        public HttpContext Context { get; } = context;

        public Channel<(string Type, IKubernetesObject<V1ObjectMeta> Object)> Events { get; } = Channel.CreateUnbounded<(string, IKubernetesObject<V1ObjectMeta>)>();
    }
}
