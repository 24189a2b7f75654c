using System.Text.Json;
using System.Text.RegularExpressions;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// The malformed and hostile requests of the bad-input campaign: for every operation of the API's OpenAPI document, each
/// path and query parameter set to each hostile value (the others plausible), each body property set alone to each
/// hostile JSON value, malformed bodies and media types, and over-long idempotency keys; the same for the agent's HTTP
/// routes. Every request is one the product must refuse (or answer without writing anything).
/// </summary>
public static partial class BadInputCampaign
{
    /// <summary>Hostile values for a path or query parameter, URL-encoded as sent.</summary>
    public static readonly IReadOnlyList<(string Encoded, string Case)> HostileUrlValues =
    [
        ("%1B%5B31mred", "ESC (an ANSI escape)"),
        ("gpu%00node", "NUL"),
        ("gpu%E2%80%AEnode", "an RTL override mark"),
        ("%FF%FE", "bytes that are not UTF-8"),
        ("..", "a parent directory"),
        ("..%2F..%2Fetc%2Fpasswd", "a traversal"),
        ("-1", "a negative number"),
        ("2147483648", "beyond int32"),
        ("99999999999999999999999", "beyond int64"),
        ("true%0Afalse", "a newline"),
        ("%20", "a space"),
        ("%22%3E%3Cscript%3E", "markup"),
        (new string('a', 300), "300 characters"),
        (new string('b', 5000), "5000 characters"),
    ];

    /// <summary>Hostile JSON values for a body property.</summary>
    public static readonly IReadOnlyList<(string Json, string Case)> HostileJsonValues =
    [
        ("\"\\u001b[2J\"", "ESC"),
        ("\"a\\u0000b\"", "NUL"),
        ("\"gpu-node-\\u202e100\"", "an RTL override mark"),
        ("\"line\\nbreak\"", "a newline"),
        ("\"" + new string('x', 100_000) + "\"", "100 KB"),
        ("true", "a boolean"),
        ("1.5", "a fraction"),
        ("-1", "a negative number"),
        ("2147483648", "beyond int32"),
        ("99999999999999999999999", "beyond int64"),
        ("1e400", "beyond double"),
        ("{}", "an object"),
        ("[\"a\"]", "an array"),
        ("\"\"", "an empty string"),
    ];

    private static readonly (string Body, string? ContentType, string Case)[] MalformedBodies =
    [
        ("{}", null, "no Content-Type"),
        ("{}", "text/plain", "text/plain"),
        ("{}", "application/xml", "application/xml"),
        ("", "application/json", "an empty body"),
        ("null", "application/json", "null"),
        ("[]", "application/json", "an array"),
        ("\"text\"", "application/json", "a string"),
        ("{", "application/json", "cut-off JSON"),
        ("{\"a\":}", "application/json", "invalid JSON"),
        ("\u001b[2J", "application/json", "ESC bytes"),
        (new string('[', 5000) + new string(']', 5000), "application/json", "5000 nested arrays"),
        ("{\"unknown_field\": 1}", "application/json", "a field the body does not have"),
    ];

    /// <summary>Plausible values of the path parameters, so that only the value under test is wrong.</summary>
    private static readonly Dictionary<string, string> PlausiblePathValues = new(StringComparer.Ordinal)
    {
        ["xid"] = "79",
        ["sxid"] = "12028",
        ["faultId"] = "campaign-fault",
        ["node"] = "gpu-node-001",
        ["reportId"] = "20260101T000000Z-00000000",
        ["drillId"] = "0123456789abcdef",
    };

    private static readonly Dictionary<string, string> NoHeaders = new(StringComparer.Ordinal);

    /// <summary>Every campaign request for the operations of the API's OpenAPI document.</summary>
    public static IEnumerable<CampaignRequest> ForOpenApi(JsonElement document)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var method = operation.Name.ToUpperInvariant();
                var parameters = operation.Value.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
                var query = parameters.Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList();
                var properties = BodyProperties(operation.Value, schemas);
                var hasBody = operation.Value.TryGetProperty("requestBody", out _);
                var body = hasBody ? "{}" : null;
                var contentType = hasBody ? "application/json" : null;

                foreach (var name in PathParameter().Matches(path.Name).Select(m => m.Groups["name"].Value))
                {
                    foreach (var (value, what) in HostileUrlValues)
                    {
                        yield return new(method, Fill(path.Name, name, value), body, contentType, NoHeaders, $"{method} {path.Name}: {name} = {what}");
                    }
                }

                foreach (var name in query)
                {
                    foreach (var (value, what) in HostileUrlValues)
                    {
                        yield return new(method, $"{Fill(path.Name, null, null)}?{name}={value}", body, contentType, NoHeaders, $"{method} {path.Name}: ?{name} = {what}");
                    }
                }

                if (!hasBody)
                {
                    continue;
                }

                foreach (var request in Bodies(method, Fill(path.Name, null, null), properties, $"{method} {path.Name}"))
                {
                    yield return request;
                }

                if (parameters.Any(p => p.GetProperty("name").GetString() == "Idempotency-Key"))
                {
                    // A body that would inject, with a key the API must refuse: the key alone decides.
                    var injecting = path.Name.Contains("sxid", StringComparison.Ordinal)
                        ? """{"node_name": "gpu-node-001", "nvswitch": 0, "link": 0}"""
                        : """{"node_name": "gpu-node-001", "gpu_id": 0}""";
                    foreach (var key in new[] { new string('k', 257), new string('k', 10_000) })
                    {
                        yield return new(method, Fill(path.Name, null, null), injecting, "application/json",
                            new Dictionary<string, string>(StringComparer.Ordinal) { ["Idempotency-Key"] = key }, $"{method} {path.Name}: a {key.Length}-character Idempotency-Key");
                    }
                }
            }
        }
    }

    /// <summary>Every campaign request for the agent's HTTP/1.1 routes (it has no OpenAPI document).</summary>
    public static IEnumerable<CampaignRequest> ForAgentHttp()
    {
        string[] injectFields = ["fault_id", "xid_type", "gpu_id", "duration", "message", "idempotency_key", "dry_run", "companion_lines", "process_name", "pid"];
        foreach (var request in Bodies("POST", "/inject-xid", injectFields, "POST /inject-xid"))
        {
            yield return request;
        }

        foreach (var (value, what) in HostileUrlValues)
        {
            foreach (var name in new[] { "active_only", "limit", "page_token" })
            {
                yield return new("GET", $"/faults?{name}={value}", null, null, NoHeaders, $"GET /faults: ?{name} = {what}");
            }

            yield return new("GET", $"/faults/{value}", null, null, NoHeaders, $"GET /faults/{{id}}: id = {what}");
            yield return new("DELETE", $"/faults/{value}", null, null, NoHeaders, $"DELETE /faults/{{id}}: id = {what}");
            yield return new("DELETE", $"/faults/campaign-fault?reason={value}", null, null, NoHeaders, $"DELETE /faults/{{id}}: ?reason = {what}");
        }
    }

    private static IEnumerable<CampaignRequest> Bodies(string method, string path, IReadOnlyList<string> properties, string operation)
    {
        foreach (var (body, contentType, what) in MalformedBodies)
        {
            yield return new(method, path, body, contentType, NoHeaders, $"{operation}: {what}");
        }

        foreach (var property in properties)
        {
            foreach (var (value, what) in HostileJsonValues)
            {
                yield return new(method, path, $"{{\"{property}\": {value}}}", "application/json", NoHeaders, $"{operation}: {property} = {what}");
            }
        }
    }

    private static List<string> BodyProperties(JsonElement operation, JsonElement schemas)
    {
        if (!operation.TryGetProperty("requestBody", out var body)
            || !body.GetProperty("content").TryGetProperty("application/json", out var json)
            || !json.TryGetProperty("schema", out var schema))
        {
            return [];
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema.TryGetProperty("properties", out var properties) ? [.. properties.EnumerateObject().Select(p => p.Name)] : [];
    }

    /// <summary>The path with every parameter plausible, except <paramref name="name"/> set to <paramref name="value"/>.</summary>
    private static string Fill(string template, string? name, string? value) =>
        PathParameter().Replace(template, m => m.Groups["name"].Value == name ? value! : PlausiblePathValues.GetValueOrDefault(m.Groups["name"].Value, "campaign"));

    [GeneratedRegex(@"\{(?<name>[A-Za-z0-9_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex PathParameter();
}
