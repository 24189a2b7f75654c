using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FaultApi.Tests.Fuzz;

/// <summary>
/// Every bad input gets RFC 7807 problem details and nothing is written: each route of the API's endpoint table that takes a
/// body or a query is called with bodies and query strings generated from fixed seeds — wrong types, nulls, huge numbers,
/// deep nesting, duplicate keys, unknown members, non-UTF-8 bytes, a wrong content type, an empty body, garbage paging,
/// repeated parameters — mixed with a valid dry-run body. Each answer is 2xx or 4xx (never 5xx), a 4xx is
/// <c>application/problem+json</c> with type, title and status equal to the HTTP status, and after a 4xx no agent wrote a line.
/// </summary>
public sealed class ApiInputFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly int[] Seeds = [.. Enumerable.Range(1, 10)];

    private static readonly string[] Values =
    [
        "null", "true", "\"\"", "\"x\"", "-1", "0", "1e400", "9223372036854775808", "-9223372036854775809", "1.5", "[]", "{}",
        "\"\\u0000\"", "\"line\\nbreak\"", "\"%s%n\"", "\"\\u202Eevil\"", "\"😀\"", "\"" + new string('a', 5_000) + "\"",
        string.Concat(Enumerable.Repeat("[", 300)) + string.Concat(Enumerable.Repeat("]", 300)),
    ];

    private static readonly string[] Members = ["node_name", "gpu_id", "dry_run", "duration", "message", "pid", "process_name", "fault_id", "reason", "nodes", "selector", "steps", "field", "value", "nvswitch", "link", "unknown_member"];

    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task EveryRouteWithABodyOrQuery_SeededBadInputs_Answer2xxOr4xxProblemAndWriteNothingOn4xx()
    {
        var routes = Routes().ToList();
        Assert.Contains(routes, r => r.Method == "POST" && r.Pattern.Contains("xid-{xid}", StringComparison.Ordinal));
        var failures = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (method, pattern) in routes)
        {
            foreach (var seed in Seeds)
            {
                var random = new Random(seed * 7919 + pattern.Length);
                using var request = Request(method, pattern, random, out var described);
                var before = _cluster.Agents.Sum(a => a.Service.WrittenLines);
                using var response = await _cluster.Client.SendAsync(request);
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                outcomes[$"{method} {pattern} {status}"] = outcomes.GetValueOrDefault($"{method} {pattern} {status}") + 1;
                var case_ = $"seed {seed}: {described}";
                if (status >= 500)
                {
                    failures.Add($"{case_}: {status} {Cut(body)}");
                }
                else if (status >= 400)
                {
                    if (ProblemShape(response, body, status) is { } bad)
                    {
                        failures.Add($"{case_}: {status} {bad}: {Cut(body)}");
                    }

                    var written = _cluster.Agents.Sum(a => a.Service.WrittenLines) - before;
                    if (written != 0)
                    {
                        failures.Add($"{case_}: {status} but {written} lines written");
                    }
                }
            }
        }

        output.WriteLine("outcomes: " + string.Join(", ", outcomes.Select(o => $"{o.Key} x{o.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {routes.Count * Seeds.Length} cases failed:\n" + string.Join("\n", failures));
    }

    private static string? ProblemShape(HttpResponseMessage response, string body, int status)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"content type {response.Content.Headers.ContentType?.MediaType ?? "none"}";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (!root.TryGetProperty("type", out _) || !root.TryGetProperty("title", out _))
            {
                return "no type or title";
            }

            return root.TryGetProperty("status", out var s) && s.TryGetInt32(out var value) && value == status ? null : "status member not the HTTP status";
        }
        catch (JsonException e)
        {
            return "not JSON: " + e.Message;
        }
    }

    private static string Cut(string text) => text.Length > 400 ? text[..400] + "..." : text;

    private static HttpRequestMessage Request(string method, string pattern, Random random, out string described)
    {
        var path = pattern
            .Replace("{xid}", random.Next(3) == 0 ? "2147483648" : "79", StringComparison.Ordinal)
            .Replace("{sxid}", random.Next(3) == 0 ? "-1" : "12028", StringComparison.Ordinal)
            .Replace("{node}", random.Next(3) == 0 ? "no-such-node" : "gpu-node-001", StringComparison.Ordinal);
        path = System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", _ => Uri.EscapeDataString(random.Next(2) == 0 ? "x%00y" : "no-such-id"));
        var query = random.Next(3) switch
        {
            0 => "?page_size=abc&page_size=5&page_token=%ZZ&active_only=maybe",
            1 => "?page_size=-1&page_token=eyJ4IjoxfQ&limit=99999999999999999999",
            _ => string.Empty,
        };
        var request = new HttpRequestMessage(new HttpMethod(method), path + query);
        var bodyNote = "no body";
        if (method is "POST" or "PUT")
        {
            var (bytes, contentType, note) = Body(random);
            bodyNote = note;
            request.Content = new ByteArrayContent(bytes);
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            }
        }

        described = $"{method} {path}{query} {bodyNote}";
        return request;
    }

    private static (byte[] Bytes, string? ContentType, string Note) Body(Random random)
    {
        var members = new List<string> { "\"node_name\": \"gpu-node-001\"", "\"dry_run\": true" };
        var changes = random.Next(0, 4);
        for (var i = 0; i < changes; i++)
        {
            members.Add($"\"{Members[random.Next(Members.Length)]}\": {Values[random.Next(Values.Length)]}");
        }

        var json = "{" + string.Join(", ", members) + "}";
        var shape = random.Next(8);
        var result = shape switch
        {
            0 => (Array.Empty<byte>(), "application/json"),
            1 => (Encoding.UTF8.GetBytes(json), "text/plain"),
            2 => ([0x7B, 0x22, 0x6E, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D], "application/json"),
            3 => (Encoding.UTF8.GetBytes("[1, 2, 3]"), "application/json"),
            4 => (Encoding.UTF8.GetBytes("null"), "application/json"),
            5 => (Encoding.UTF8.GetBytes(json), (string?)null),
            _ => (Encoding.UTF8.GetBytes(json), "application/json"),
        };
        var text = Encoding.UTF8.GetString(result.Item1);
        return (result.Item1, result.Item2, string.Create(CultureInfo.InvariantCulture, $"body ({result.Item2 ?? "no content type"}) {Cut(text)}"));
    }

    /// <summary>Routes that take a body or a query, from the app's endpoint table; the stop last (it refuses later injections).</summary>
    private IEnumerable<(string Method, string Pattern)> Routes() =>
        _cluster.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(r => r.Method is "POST" or "DELETE" || (r.Method == "GET" && r.Pattern.TrimEnd('/').EndsWith("/faults", StringComparison.Ordinal)))
            .Distinct()
            .OrderBy(r => r.Pattern.Contains("stop", StringComparison.Ordinal))
            .ThenBy(r => r.Method, StringComparer.Ordinal)
            .ThenBy(r => r.Pattern, StringComparer.Ordinal);
}
