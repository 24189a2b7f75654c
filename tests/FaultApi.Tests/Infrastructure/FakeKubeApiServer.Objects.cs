using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// The fake API server's object routes: read one node/pod/ConfigMap; PATCH a node or its status (JSON merge patch, and
/// strategic merge patch merging <c>conditions</c> by <c>type</c> and <c>taints</c> by <c>key</c>); list/watch pods in
/// every namespace; delete a pod; ConfigMap list/watch, create (409 AlreadyExists), replace (409 Conflict on a stale
/// <c>metadata.resourceVersion</c>), patch and delete (each refused 422 Invalid beyond 1 MiB of data, as the real server,
/// or when the test's <see cref="RefuseConfigMapWrites"/> says so). Every change is published to the open watches.
/// </summary>
public sealed partial class FakeKubeApiServer
{
    /// <summary>Every request received ("METHOD /path?query"), for tests that check how the client talked to the server.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>A copy of the stored object, or null.</summary>
    public T? Get<T>(string kind, string? ns, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            return _objects.TryGetValue($"{kind}/{ns}/{name}", out var item) ? (T)Copy(item) : null;
        }
    }

    /// <summary>Copies of the stored objects of a kind.</summary>
    public IReadOnlyList<T> All<T>(string kind)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            return [.. _objects.Values.Where(o => o.Kind == kind).Select(o => (T)Copy(o))];
        }
    }

    private static IKubernetesObject<V1ObjectMeta> Copy(IKubernetesObject<V1ObjectMeta> item)
    {
        var json = KubernetesJson.Serialize(item);
        return item.Kind switch
        {
            "Pod" => KubernetesJson.Deserialize<V1Pod>(json),
            "ConfigMap" => KubernetesJson.Deserialize<V1ConfigMap>(json),
            _ => KubernetesJson.Deserialize<V1Node>(json),
        };
    }

    private static IKubernetesObject<V1ObjectMeta> Parse(string kind, string json) => kind switch
    {
        "Pod" => KubernetesJson.Deserialize<V1Pod>(json),
        "ConfigMap" => KubernetesJson.Deserialize<V1ConfigMap>(json),
        _ => KubernetesJson.Deserialize<V1Node>(json),
    };

    private void MapObjectRoutes(WebApplication app)
    {
        app.MapGet("/api/v1/pods", (HttpContext context) => ServeAsync(context, "Pod", null));
        app.MapGet("/api/v1/nodes/{name}", (HttpContext context, string name) => ReadAsync(context, "Node", null, name));
        app.MapMethods("/api/v1/nodes/{name}", ["PATCH"], (HttpContext context, string name) => PatchAsync(context, "Node", null, name));
        app.MapMethods("/api/v1/nodes/{name}/status", ["PATCH"], (HttpContext context, string name) => PatchAsync(context, "Node", null, name));
        app.MapGet("/api/v1/namespaces/{ns}/pods/{name}", (HttpContext context, string ns, string name) => ReadAsync(context, "Pod", ns, name));
        app.MapDelete("/api/v1/namespaces/{ns}/pods/{name}", (HttpContext context, string ns, string name) => DeleteAsync(context, "Pod", ns, name));
        app.MapGet("/api/v1/configmaps", (HttpContext context) => ServeAsync(context, "ConfigMap", null));
        app.MapGet("/api/v1/namespaces/{ns}/configmaps", (HttpContext context, string ns) => ServeAsync(context, "ConfigMap", ns));
        app.MapPost("/api/v1/namespaces/{ns}/configmaps", (HttpContext context, string ns) => CreateAsync(context, "ConfigMap", ns));
        app.MapGet("/api/v1/namespaces/{ns}/configmaps/{name}", (HttpContext context, string ns, string name) => ReadAsync(context, "ConfigMap", ns, name));
        app.MapPut("/api/v1/namespaces/{ns}/configmaps/{name}", (HttpContext context, string ns, string name) => ReplaceAsync(context, "ConfigMap", ns, name));
        app.MapMethods("/api/v1/namespaces/{ns}/configmaps/{name}", ["PATCH"], (HttpContext context, string ns, string name) => PatchAsync(context, "ConfigMap", ns, name));
        app.MapDelete("/api/v1/namespaces/{ns}/configmaps/{name}", (HttpContext context, string ns, string name) => DeleteAsync(context, "ConfigMap", ns, name));
    }

    private async Task ReadAsync(HttpContext context, string kind, string? ns, string name)
    {
        if (kind == "ConfigMap")
        {
            await WaitIfHeldAsync("read", new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } });
        }

        IKubernetesObject<V1ObjectMeta>? item;
        lock (_gate)
        {
            item = _objects.GetValueOrDefault($"{kind}/{ns}/{name}");
        }

        if (item is null)
        {
            await StatusAsync(context, StatusCodes.Status404NotFound, "NotFound", $"{kind} \"{name}\" not found");
            return;
        }

        await ObjectAsync(context, StatusCodes.Status200OK, item);
    }

    private async Task CreateAsync(HttpContext context, string kind, string ns)
    {
        var item = Parse(kind, await ReadBodyAsync(context));
        item.Kind = kind;
        item.ApiVersion = "v1";
        item.Metadata.NamespaceProperty = ns;
        item.Metadata.CreationTimestamp = DateTime.UtcNow;
        if (item is V1ConfigMap configMap)
        {
            await WaitIfHeldAsync("create", configMap);
        }

        if (await RefusedAsync(context, item))
        {
            return;
        }

        var (stored, error) = Write(item, expectedVersion: null, mustExist: false);
        if (stored is null)
        {
            await StatusAsync(context, StatusCodes.Status409Conflict, "AlreadyExists", error!);
            return;
        }

        await ObjectAsync(context, StatusCodes.Status201Created, stored);
    }

    private async Task ReplaceAsync(HttpContext context, string kind, string ns, string name)
    {
        var item = Parse(kind, await ReadBodyAsync(context));
        item.Kind = kind;
        item.ApiVersion = "v1";
        item.Metadata.NamespaceProperty = ns;
        item.Metadata.Name = name;
        if (item is V1ConfigMap configMap)
        {
            await WaitIfHeldAsync("replace", configMap);
        }

        if (await RefusedAsync(context, item))
        {
            return;
        }

        var (stored, error) = Write(item, item.Metadata.ResourceVersion, mustExist: true);
        if (stored is null)
        {
            await StatusAsync(context, error!.StartsWith("not found", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict, error.StartsWith("not found", StringComparison.Ordinal) ? "NotFound" : "Conflict", error);
            return;
        }

        await ObjectAsync(context, StatusCodes.Status200OK, stored);
    }

    private async Task PatchAsync(HttpContext context, string kind, string? ns, string name)
    {
        var contentType = context.Request.ContentType ?? "";
        var strategic = contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal);
        if (!strategic && !contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal))
        {
            await StatusAsync(context, StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", $"the fake server takes merge and strategic merge patches, not {contentType}");
            return;
        }

        var patch = JsonNode.Parse(await ReadBodyAsync(context))!;
        for (var attempt = 0; ; attempt++)
        {
            IKubernetesObject<V1ObjectMeta>? current;
            lock (_gate)
            {
                current = _objects.GetValueOrDefault($"{kind}/{ns}/{name}");
            }

            if (current is null)
            {
                await StatusAsync(context, StatusCodes.Status404NotFound, "NotFound", $"{kind} \"{name}\" not found");
                return;
            }

            var target = JsonNode.Parse(KubernetesJson.Serialize(current))!;
            Merge(target, patch, strategic);
            var patched = Parse(kind, target.ToJsonString());
            if (await RefusedAsync(context, patched))
            {
                return;
            }

            var version = patch["metadata"]?["resourceVersion"]?.GetValue<string>() ?? current.Metadata.ResourceVersion;
            var (stored, error) = Write(patched, version, mustExist: true);
            if (stored is not null)
            {
                await ObjectAsync(context, StatusCodes.Status200OK, stored);
                return;
            }

            if (patch["metadata"]?["resourceVersion"] is not null || attempt > 10)
            {
                await StatusAsync(context, StatusCodes.Status409Conflict, "Conflict", error!);
                return;
            }
        }
    }

    private async Task DeleteAsync(HttpContext context, string kind, string ns, string name)
    {
        IKubernetesObject<V1ObjectMeta>? current;
        lock (_gate)
        {
            current = _objects.GetValueOrDefault($"{kind}/{ns}/{name}");
        }

        if (current is null)
        {
            await StatusAsync(context, StatusCodes.Status404NotFound, "NotFound", $"{kind} \"{name}\" not found");
            return;
        }

        Publish(current, remove: true);
        if (kind == "Pod")
        {
            await ObjectAsync(context, StatusCodes.Status200OK, current);
            return;
        }

        await StatusAsync(context, StatusCodes.Status200OK, "", "deleted", success: true);
    }

    /// <summary>Stores <paramref name="item"/> if the precondition holds (atomically with the check) and publishes it.</summary>
    private (IKubernetesObject<V1ObjectMeta>? Stored, string? Error) Write(IKubernetesObject<V1ObjectMeta> item, string? expectedVersion, bool mustExist)
    {
        lock (_gate)
        {
            var key = Key(item);
            var exists = _objects.TryGetValue(key, out var current);
            if (!mustExist && exists)
            {
                return (null, $"{item.Kind} \"{item.Metadata.Name}\" already exists");
            }

            if (mustExist && !exists)
            {
                return (null, $"not found: {item.Kind} \"{item.Metadata.Name}\"");
            }

            if (mustExist && !string.IsNullOrEmpty(expectedVersion) && expectedVersion != current!.Metadata.ResourceVersion)
            {
                return (null, $"Operation cannot be fulfilled on {item.Kind} \"{item.Metadata.Name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            if (current is not null)
            {
                item.Metadata.CreationTimestamp ??= current.Metadata.CreationTimestamp;
            }

            Publish(item, remove: false);
            if (item.Kind == "ConfigMap")
            {
                Interlocked.Increment(ref _configMapWrites);
            }

            return (_objects[key], null);
        }
    }

    private static void Merge(JsonNode target, JsonNode patch, bool strategic)
    {
        if (patch is not JsonObject patchObject || target is not JsonObject targetObject)
        {
            return;
        }

        foreach (var (name, value) in patchObject.ToList())
        {
            if (value is null)
            {
                targetObject.Remove(name);
            }
            else if (value is JsonObject && targetObject[name] is JsonObject)
            {
                Merge(targetObject[name]!, value, strategic);
            }
            else if (strategic && value is JsonArray items && targetObject[name] is JsonArray existing && (name == "conditions" || name == "taints"))
            {
                var mergeKey = name == "conditions" ? "type" : "key";
                foreach (var patchItem in items)
                {
                    var keyValue = patchItem?[mergeKey]?.GetValue<string>();
                    var match = existing.FirstOrDefault(e => e?[mergeKey]?.GetValue<string>() == keyValue);
                    if (match is null)
                    {
                        existing.Add(patchItem!.DeepClone());
                    }
                    else
                    {
                        Merge(match, patchItem!, strategic);
                    }
                }
            }
            else
            {
                targetObject[name] = value.DeepClone();
            }
        }
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task ObjectAsync(HttpContext context, int status, IKubernetesObject<V1ObjectMeta> item)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(item));
    }

    /// <summary>A ConfigMap write refused 422 Invalid: too long (<see cref="RefusedAsTooLongAsync"/>), or by the test's <see cref="RefuseConfigMapWrites"/>.</summary>
    private async Task<bool> RefusedAsync(HttpContext context, IKubernetesObject<V1ObjectMeta> item)
    {
        if (await RefusedAsTooLongAsync(context, item))
        {
            return true;
        }

        if (item is not V1ConfigMap configMap || Volatile.Read(ref _configMapRefusal)?.Invoke(configMap) is not { } message)
        {
            return false;
        }

        Interlocked.Increment(ref _refusedConfigMapWrites);
        await StatusAsync(context, StatusCodes.Status422UnprocessableEntity, "Invalid", message);
        return true;
    }

    /// <summary>
    /// The real API server's ConfigMap validation (ValidateConfigMap): the values of <c>data</c> and <c>binaryData</c> together
    /// may hold at most 1 MiB (<c>core.MaxSecretSize</c>); beyond, 422 Invalid and nothing stored.
    /// </summary>
    private static async Task<bool> RefusedAsTooLongAsync(HttpContext context, IKubernetesObject<V1ObjectMeta> item)
    {
        const int MaxConfigMapBytes = 1024 * 1024;
        if (item is not V1ConfigMap configMap)
        {
            return false;
        }

        var bytes = DataBytes(configMap);
        if (bytes <= MaxConfigMapBytes)
        {
            return false;
        }

        await StatusAsync(context, StatusCodes.Status422UnprocessableEntity, "Invalid", $"ConfigMap \"{configMap.Metadata.Name}\" is invalid: []: Too long: must have at most {MaxConfigMapBytes} bytes");
        return true;
    }

    private static async Task StatusAsync(HttpContext context, int code, string reason, string message, bool success = false)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var escaped = System.Text.Json.JsonSerializer.Serialize(message);
        await context.Response.WriteAsync("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\""
            + (success ? "Success" : "Failure") + "\",\"message\":" + escaped + ",\"reason\":\"" + reason + "\",\"code\":"
            + code.ToString(CultureInfo.InvariantCulture) + "}");
    }
}
