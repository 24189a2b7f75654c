using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// ConfigMaps on the fake API server: get, create (409 AlreadyExists), replace (409 Conflict when the body's
/// resourceVersion is not the stored one, as optimistic concurrency works on a real server), each answering V1Status on
/// errors; counts the writes so tests can see them.
/// </summary>
public sealed partial class FakeKubeApiServer
{
    private readonly Dictionary<string, V1ConfigMap> _configMaps = new(StringComparer.Ordinal);

    public int ConfigMapWrites { get; private set; }

    /// <summary>The stored ConfigMap (a copy), or null.</summary>
    public V1ConfigMap? GetConfigMap(string ns, string name)
    {
        lock (_gate)
        {
            return _configMaps.TryGetValue($"{ns}/{name}", out var map) ? Clone(map) : null;
        }
    }

    private void MapConfigMaps(WebApplication app)
    {
        app.MapGet("/api/v1/namespaces/{ns}/configmaps/{name}", (string ns, string name) =>
        {
            var map = GetConfigMap(ns, name);
            return map is null ? StatusResult(404, "NotFound", $"configmaps \"{name}\" not found") : Json(map, 200);
        });
        app.MapPost("/api/v1/namespaces/{ns}/configmaps", async (HttpContext context, string ns) =>
        {
            var map = await ReadConfigMapAsync(context);
            lock (_gate)
            {
                var key = $"{ns}/{map.Metadata.Name}";
                if (_configMaps.ContainsKey(key))
                {
                    return StatusResult(409, "AlreadyExists", $"configmaps \"{map.Metadata.Name}\" already exists");
                }

                map.Metadata.NamespaceProperty = ns;
                map.Metadata.ResourceVersion = (++_version).ToString(CultureInfo.InvariantCulture);
                map.Metadata.Uid = Guid.NewGuid().ToString();
                _configMaps[key] = Clone(map);
                ConfigMapWrites++;
                return Json(map, 201);
            }
        });
        app.MapPut("/api/v1/namespaces/{ns}/configmaps/{name}", async (HttpContext context, string ns, string name) =>
        {
            var map = await ReadConfigMapAsync(context);
            lock (_gate)
            {
                var key = $"{ns}/{name}";
                if (!_configMaps.TryGetValue(key, out var stored))
                {
                    return StatusResult(404, "NotFound", $"configmaps \"{name}\" not found");
                }

                if (map.Metadata.ResourceVersion != stored.Metadata.ResourceVersion)
                {
                    return StatusResult(409, "Conflict", $"Operation cannot be fulfilled on configmaps \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
                }

                map.Metadata.NamespaceProperty = ns;
                map.Metadata.ResourceVersion = (++_version).ToString(CultureInfo.InvariantCulture);
                _configMaps[key] = Clone(map);
                ConfigMapWrites++;
                return Json(map, 200);
            }
        });
    }

    private static async Task<V1ConfigMap> ReadConfigMapAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return KubernetesJson.Deserialize<V1ConfigMap>(await reader.ReadToEndAsync());
    }

    private static V1ConfigMap Clone(V1ConfigMap map) => KubernetesJson.Deserialize<V1ConfigMap>(KubernetesJson.Serialize(map));

    private static IResult Json(V1ConfigMap map, int status) => Results.Content(KubernetesJson.Serialize(map), "application/json", statusCode: status);

    // KubernetesJson cannot write V1Status: the API server's JSON, by hand.
    private static IResult StatusResult(int code, string reason, string message) => Results.Content(
        JsonSerializer.Serialize(new Dictionary<string, object> { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new Dictionary<string, object>(), ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code }),
        "application/json",
        statusCode: code);
}
